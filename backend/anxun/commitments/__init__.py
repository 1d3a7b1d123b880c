"""The daily safety commitment (安全风险研判与承诺公告) of hazardous-chemicals enterprises."""
