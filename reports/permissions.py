"""Who may make, read and submit reports."""
