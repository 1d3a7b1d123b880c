"""The regulator overview of its jurisdiction, trends and the enterprise drill-down."""
