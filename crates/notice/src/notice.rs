//! A rendered notice and its three outputs: plain text, a printable HTML fragment, DOCX.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts,
    SpecialIndentType,
};
use time::Date;

use crate::context::chinese_date;
use crate::kind::NoticeKind;
use crate::render::NoticeError;

/// A notice, checked and laid out: what every output prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Which notice.
    pub kind: NoticeKind,
    /// The title, from [`NoticeKind::title`].
    pub title: String,
    /// The 文书编号 line.
    pub number: String,
    /// The body, one paragraph each; the first is the salutation (`申请人：`).
    pub paragraphs: Vec<String>,
    /// 成文日期.
    pub date: Date,
    /// The signing organ (落款).
    pub organ: String,
}

// GB/T 9704-2012 公文格式: A4, 仿宋 三号 (16 pt) body, 小标宋 二号 (22 pt) title, 28 pt lines.
// Sizes are half-points, lengths twentieths of a point (twips).
const A4_WIDTH: u32 = 11_906;
const A4_HEIGHT: u32 = 16_838;
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const LINE: i32 = 560;
// One character of 三号 type, in twips.
const BODY_CHAR: i32 = 320;
const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋";

impl Notice {
    /// Plain text: title, number, body, then organ and date; blank lines between the parts.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push('\n');
        out.push_str(&self.number);
        out.push_str("\n\n");
        for p in &self.paragraphs {
            out.push_str(p);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&self.organ);
        out.push('\n');
        out.push_str(&self.date_text());
        out.push('\n');
        out
    }

    /// A printable HTML fragment. Every string is escaped: a notice never carries markup from
    /// its context or template. Alignment is inline so the fragment prints without a style
    /// sheet; the classes are for pages that style it.
    pub fn to_html(&self) -> String {
        let mut out = String::from("<article class=\"notice\">\n");
        out.push_str(&format!(
            "<h1 class=\"notice-title\" style=\"text-align:center\">{}</h1>\n",
            escape(&self.title)
        ));
        out.push_str(&format!(
            "<p class=\"notice-number\" style=\"text-align:center\">{}</p>\n",
            escape(&self.number)
        ));
        for (i, p) in self.paragraphs.iter().enumerate() {
            let style = if i == 0 {
                ""
            } else {
                " style=\"text-indent:2em\""
            };
            out.push_str(&format!("<p{style}>{}</p>\n", escape(p)));
        }
        out.push_str(&format!(
            "<p class=\"notice-organ\" style=\"text-align:right\">{}</p>\n",
            escape(&self.organ)
        ));
        out.push_str(&format!(
            "<p class=\"notice-date\" style=\"text-align:right\">{}</p>\n",
            escape(&self.date_text())
        ));
        out.push_str("</article>\n");
        out
    }

    /// DOCX bytes: the title centred in 小标宋, the number centred, the body in 仿宋 with a
    /// two-character first-line indent (not the salutation), organ and date right-aligned.
    /// The East Asian font is named explicitly so that LibreOffice and Word pick a CJK face
    /// (or their CJK fallback, e.g. Noto CJK) rather than a Latin one.
    pub fn to_docx(&self) -> Result<Vec<u8>, NoticeError> {
        let body_fonts = || fonts(BODY_FONT);
        let spacing = || {
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(LINE)
        };
        let run = |text: &str| {
            Run::new()
                .add_text(text)
                .fonts(body_fonts())
                .size(BODY_SIZE)
        };
        let blank = || Paragraph::new().line_spacing(spacing());

        let mut doc = Docx::new()
            .page_size(A4_WIDTH, A4_HEIGHT)
            // 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (GB/T 9704 §5.2.1).
            .page_margin(
                PageMargin::new()
                    .top(2098)
                    .bottom(1984)
                    .left(1588)
                    .right(1474),
            )
            .default_fonts(body_fonts())
            .default_size(BODY_SIZE)
            .add_paragraph(
                Paragraph::new()
                    .add_run(
                        Run::new()
                            .add_text(&self.title)
                            .fonts(fonts(TITLE_FONT))
                            .size(TITLE_SIZE),
                    )
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().after(LINE.unsigned_abs())),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(run(&self.number))
                    .align(AlignmentType::Center)
                    .line_spacing(spacing()),
            )
            .add_paragraph(blank());
        for (i, p) in self.paragraphs.iter().enumerate() {
            let mut para = Paragraph::new()
                .add_run(run(p))
                .align(AlignmentType::Both)
                .line_spacing(spacing());
            if i > 0 {
                // Two characters: twips for LibreOffice, characters for Word (which prefers
                // them); docx-rs only writes the latter onto an existing indent.
                para = para
                    .indent(
                        None,
                        Some(SpecialIndentType::FirstLine(2 * BODY_CHAR)),
                        None,
                        None,
                    )
                    .first_line_chars(200);
            }
            doc = doc.add_paragraph(para);
        }
        doc = doc
            .add_paragraph(blank())
            .add_paragraph(
                Paragraph::new()
                    .add_run(run(&self.organ))
                    .align(AlignmentType::Right)
                    .line_spacing(spacing()),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(run(&self.date_text()))
                    .align(AlignmentType::Right)
                    .line_spacing(spacing()),
            );
        let mut buf = Cursor::new(Vec::new());
        doc.pack(&mut buf)
            .map_err(|e| NoticeError::Docx(e.to_string()))?;
        Ok(buf.into_inner())
    }

    /// The date as printed: `2024年1月2日`.
    pub fn date_text(&self) -> String {
        chinese_date(self.date)
    }
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
