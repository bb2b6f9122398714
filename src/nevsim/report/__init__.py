"""Summary tables for the terminal and self-contained HTML reports with plots."""
