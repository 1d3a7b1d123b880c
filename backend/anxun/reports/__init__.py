"""Reports (报表): HTML templates rendered to PDF with WeasyPrint, CJK fonts embedded."""
