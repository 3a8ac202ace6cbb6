"""Printable documents (PDF): what candidates print and bring. Imported by the routes that
print, never at a cold start (fpdf2 and fontTools cost tens of milliseconds)."""
