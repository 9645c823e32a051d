"""Printed documents as PDF: right to left for Arabic and Sorani, tables mirrored by hand.

`document` builds a page of headings, paragraphs and tables and writes it as an A4 PDF (the path
the station's monthly reports reuse); `summary` and `pledge` fill it from a record.
"""
