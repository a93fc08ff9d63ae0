//! HTML to plain text for the index, and escaping for what the index hands back.
//!
//! `plain_text` is deliberately simple: items are written by staff in the console's editor, not
//! scraped, so a tag stripper with the common entities is enough. It is safe on any input: it
//! never fails, never panics and never lets markup through (a `<` that opens no tag stays a
//! character, and the caller escapes output anyway).

/// The text of an HTML fragment: tags removed (block tags become line breaks), the contents of
/// `script`, `style` and comments dropped, entities decoded, runs of spaces collapsed. A
/// Markdown body should be rendered to HTML first.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find(['<', '&']) {
        push_text(&mut out, &rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with('&') {
            let (decoded, used) = entity(rest);
            push_text(&mut out, &decoded);
            rest = &rest[used..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let opens_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !opens_tag {
            push_text(&mut out, "<");
            rest = &rest[1..];
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // An unclosed tag at the end: nothing after it is text.
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name = tag_name(tag);
        if !tag.starts_with('/') && (name == "script" || name == "style") {
            rest = skip_raw_text(rest, &name);
            continue;
        }
        if is_block(&name) {
            push_break(&mut out);
        } else if name == "td" || name == "th" {
            push_text(&mut out, " ");
        }
    }
    push_text(&mut out, rest);
    tidy(&out)
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Line breaks and other controls of the plain body read as spaces in one line.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

fn push_text(out: &mut String, text: &str) {
    out.push_str(text);
}

fn push_break(out: &mut String) {
    out.push('\n');
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "hr"
            | "dt"
            | "dd"
            | "caption"
            | "figure"
            | "figcaption"
    )
}

/// Skips to after `</name>`, ASCII case-insensitively; to the end if it is never closed.
fn skip_raw_text<'a>(rest: &'a str, name: &str) -> &'a str {
    let closing = format!("</{name}");
    let lower = rest.to_ascii_lowercase();
    match lower.find(&closing) {
        // `to_ascii_lowercase` keeps every byte offset, so the positions are valid in `rest`.
        Some(at) => rest[at..].find('>').map_or("", |gt| &rest[at + gt + 1..]),
        None => "",
    }
}

/// Decodes the entity at the start of `text` (which starts with `&`); returns the text and the
/// bytes used. Anything unknown is the `&` itself.
fn entity(text: &str) -> (String, usize) {
    let body_end = text
        .char_indices()
        .skip(1)
        .take(12)
        .find(|&(_, c)| c == ';')
        .map(|(i, _)| i);
    let Some(end) = body_end else {
        return ("&".to_owned(), 1);
    };
    let name = &text[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" | "ensp" | "emsp" | "thinsp" => Some(' '),
        "ldquo" => Some('“'),
        "rdquo" => Some('”'),
        "lsquo" => Some('‘'),
        "rsquo" => Some('’'),
        "mdash" => Some('—'),
        "ndash" => Some('–'),
        "hellip" => Some('…'),
        "middot" => Some('·'),
        "times" => Some('×'),
        "copy" => Some('©'),
        _ => numeric(name),
    };
    match decoded {
        // A decoded control character (other than a line break) would only be noise.
        Some(c) if c.is_control() && c != '\n' => (" ".to_owned(), end + 1),
        Some(c) => (c.to_string(), end + 1),
        None => ("&".to_owned(), 1),
    }
}

fn numeric(name: &str) -> Option<char> {
    let digits = name.strip_prefix('#')?;
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<u32>().ok()?,
    };
    // 0 and surrogates are not characters; `from_u32` refuses them and anything past U+10FFFF.
    char::from_u32(code).filter(|&c| c != '\0')
}

/// One space for a run of spaces, one line break for a run of breaks, no blank ends.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split(['\n', '\r']) {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == '\u{A0}')
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&words.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_blocks_break_entities_decode() {
        let html = "<h1>关于&ldquo;信息处理费&rdquo;的通知</h1><p>第一段&nbsp;&nbsp;内容<br/>第二行</p>\
                    <p class=\"x\">A&amp;B &lt;c&gt; &#20013;&#x6587;</p>";
        assert_eq!(
            plain_text(html),
            "关于“信息处理费”的通知\n第一段 内容\n第二行\nA&B <c> 中文"
        );
    }

    #[test]
    fn scripts_styles_and_comments_are_dropped() {
        let html = "前<script>alert('<p>x</p>')</script>中<STYLE>p{}</STYLE><!-- 注释 -->后";
        assert_eq!(plain_text(html), "前中后");
    }

    #[test]
    fn broken_markup_is_safe() {
        assert_eq!(plain_text("a < b 且 c < d，1<2"), "a < b 且 c < d，1<2");
        // As in HTML, `<d` opens a tag, and one never closed ends the text.
        assert_eq!(plain_text("c<d"), "c");
        assert_eq!(plain_text("正文<p class="), "正文");
        assert_eq!(
            plain_text("&bogus; &#0; &#xD800; &#99999999; &"),
            "&bogus; &#0; &#xD800; &#99999999; &"
        );
        assert_eq!(plain_text("<script>永不结束"), "");
        assert_eq!(plain_text("<!-- 永不结束"), "");
        assert_eq!(plain_text(""), "");
    }

    #[test]
    fn full_width_indentation_collapses() {
        assert_eq!(
            plain_text("<p>\u{3000}\u{3000}为了规范</p>\n\n<p>  第二段 </p>"),
            "为了规范\n第二段"
        );
    }

    #[test]
    fn escaping_leaves_no_markup() {
        let mut out = String::new();
        escape_into(&mut out, "<script>alert(\"x\")&'</script>\n");
        assert_eq!(
            out,
            "&lt;script&gt;alert(&quot;x&quot;)&amp;&#39;&lt;/script&gt; "
        );
    }
}
