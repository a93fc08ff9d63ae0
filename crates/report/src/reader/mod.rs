//! The reader: published report text (pipes, HTML tables, Markdown, one cell per line, layout text…) into the model.
