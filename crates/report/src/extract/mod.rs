//! Getting text out of PDF and DOCX files.
