//! Character normalisation for matching: full-width forms to ASCII, the Traditional characters
//! that occur in the tables' labels and headings to Simplified, every kind of space to `' '`.
//!
//! The mapping is one character to one character, so an index into the normalised text is an
//! index into the original: what was read can always be shown as it was printed.

/// Traditional → Simplified, only for characters of the format's labels, headings and the
/// words around them (a small table on purpose: reading is not translation).
const TRADITIONAL: &[(char, char)] = &[
    ('報', '报'),
    ('開', '开'),
    ('與', '与'),
    ('處', '处'),
    ('數', '数'),
    ('總', '总'),
    ('計', '计'),
    ('動', '动'),
    ('況', '况'),
    ('請', '请'),
    ('結', '结'),
    ('轉', '转'),
    ('辦', '办'),
    ('規', '规'),
    ('範', '范'),
    ('許', '许'),
    ('罰', '罚'),
    ('強', '强'),
    ('製', '制'),
    ('廢', '废'),
    ('發', '发'),
    ('現', '现'),
    ('執', '执'),
    ('費', '费'),
    ('議', '议'),
    ('訟', '讼'),
    ('訴', '诉'),
    ('審', '审'),
    ('維', '维'),
    ('糾', '纠'),
    ('決', '决'),
    ('項', '项'),
    ('條', '条'),
    ('內', '内'),
    ('業', '业'),
    ('機', '机'),
    ('構', '构'),
    ('織', '织'),
    ('務', '务'),
    ('會', '会'),
    ('組', '组'),
    ('國', '国'),
    ('權', '权'),
    ('類', '类'),
    ('過', '过'),
    ('詢', '询'),
    ('關', '关'),
    ('補', '补'),
    ('確', '确'),
    ('認', '认'),
    ('訪', '访'),
    ('舉', '举'),
    ('複', '复'),
    ('復', '复'),
    ('無', '无'),
    ('獲', '获'),
    ('納', '纳'),
    ('區', '区'),
    ('門', '门'),
    ('應', '应'),
    ('資', '资'),
    ('單', '单'),
    ('對', '对'),
    ('後', '后'),
    ('進', '进'),
    ('題', '题'),
    ('級', '级'),
    ('監', '监'),
    ('導', '导'),
    ('護', '护'),
    ('網', '网'),
    ('體', '体'),
    ('況', '况'),
    ('號', '号'),
    ('標', '标'),
    ('準', '准'),
    ('價', '价'),
    ('險', '险'),
    ('穩', '稳'),
    ('禁', '禁'),
    ('屬', '属'),
    ('家', '家'),
    ('祕', '秘'),
    ('護', '护'),
    ('第', '第'),
    ('並', '并'),
    ('團', '团'),
    ('檔', '档'),
    ('卷', '卷'),
    ('書', '书'),
    ('專', '专'),
    ('員', '员'),
    ('問', '问'),
    ('徵', '征'),
    ('採', '采'),
    ('購', '购'),
    ('額', '额'),
    ('萬', '万'),
    ('元', '元'),
    ('億', '亿'),
    ('統', '统'),
    ('歷', '历'),
    ('累', '累'),
    ('當', '当'),
    ('實', '实'),
    ('驗', '验'),
    ('經', '经'),
    ('濟', '济'),
    ('術', '术'),
    ('傳', '传'),
    ('將', '将'),
    ('為', '为'),
    ('於', '于'),
    ('時', '时'),
    ('間', '间'),
    ('來', '来'),
    ('個', '个'),
    ('這', '这'),
    ('們', '们'),
    ('說', '说'),
    ('縣', '县'),
    ('鎮', '镇'),
    ('鄉', '乡'),
    ('廳', '厅'),
    ('陽', '阳'),
    ('漢', '汉'),
    ('黃', '黄'),
    ('見', '见'),
    ('錄', '录'),
    ('據', '据'),
    ('稱', '称'),
    ('線', '线'),
    ('屆', '届'),
    ('積', '积'),
    ('極', '极'),
    ('貫', '贯'),
    ('徹', '彻'),
    ('習', '习'),
    ('會', '会'),
    ('義', '义'),
    ('點', '点'),
    ('從', '从'),
    ('歸', '归'),
    ('產', '产'),
    ('態', '态'),
    ('達', '达'),
    ('寫', '写'),
    ('雜', '杂'),
    ('層', '层'),
    ('設', '设'),
    ('續', '续'),
    ('齊', '齐'),
    ('證', '证'),
    ('戶', '户'),
    ('繳', '缴'),
    ('逾', '逾'),
    ('責', '责'),
    ('負', '负'),
    ('優', '优'),
    ('幹', '干'),
    ('務', '务'),
    ('覆', '复'),
    ('壹', '壹'),
];

/// The normalised form of one character.
pub fn char(c: char) -> char {
    match c {
        // Full-width ASCII forms (！ … ～), including （）：，．０-９.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200B}' | '\t' | '\u{FEFF}' => ' ',
        '“' | '”' | '„' | '«' | '»' | '「' | '」' => '"',
        '‘' | '’' => '\'',
        '【' => '[',
        '】' => ']',
        '﹝' | '〔' => '[',
        '﹞' | '〕' => ']',
        '–' | '−' => '-',
        _ => traditional(c),
    }
}

fn traditional(c: char) -> char {
    if (c as u32) < 0x4E00 {
        return c;
    }
    TRADITIONAL
        .iter()
        .find(|(t, _)| *t == c)
        .map_or(c, |(_, s)| *s)
}

/// Normalises a text character by character (same number of characters).
pub fn text(s: &str) -> String {
    s.chars().map(char).collect()
}

/// The key a label is compared by: normalised, without any whitespace.
pub fn key(s: &str) -> String {
    s.chars().map(char).filter(|c| !c.is_whitespace()).collect()
}

/// Whether `c` is a Chinese character (the unified ideographs block is enough here).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_traditional_map_one_to_one() {
        let s = "（一）予以公開：１２";
        assert_eq!(text(s), "(一)予以公开:12");
        assert_eq!(text(s).chars().count(), s.chars().count());
        assert_eq!(key("商业 企业\u{3000}"), "商业企业");
        assert_eq!(key("政府信息公開工作年度報告"), "政府信息公开工作年度报告");
    }
}
