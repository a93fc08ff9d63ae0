//! Tests of identity numbers: named cases for each rule, then properties of the check digit.
//! Valid numbers are the standards' own examples or were computed independently of this code
//! (a short script applying the standards' weights).

use super::*;
use proptest::prelude::*;
use time::macros::date;

const TODAY: Date = date!(2026 - 08 - 15);

#[track_caller]
fn check_resident(input: &str, expected: Result<&str, ResidentIdError>) {
    let got = resident_id(input, TODAY);
    match expected {
        Ok(number) => assert_eq!(got.as_ref().map(ResidentId::as_str), Ok(number), "{input}"),
        Err(error) => assert_eq!(got, Err(error), "{input}"),
    }
}

#[test]
fn resident_ids_by_gb_11643() {
    use ResidentIdError as E;
    let cases: [(&str, &str, Result<&str, ResidentIdError>); 20] = [
        (
            "the standard's example, check X",
            "11010519491231002X",
            Ok("11010519491231002X"),
        ),
        (
            "a computed Beijing number",
            "110101199003071233",
            Ok("110101199003071233"),
        ),
        (
            "lower-case x is normalised",
            "11010519491231002x",
            Ok("11010519491231002X"),
        ),
        (
            "full-width digits are normalised",
            "１１０１０５１９４９１２３１００２Ｘ",
            Ok("11010519491231002X"),
        ),
        (
            "surrounding spaces are trimmed",
            " 110101199003071233\n",
            Ok("110101199003071233"),
        ),
        (
            "29 Feb of a leap year",
            "110105200002290013",
            Ok("110105200002290013"),
        ),
        ("born today", "350203202608150011", Ok("350203202608150011")),
        (
            "a 港澳台居民居住证 number (83: Taiwan)",
            "830000200101010023",
            Ok("830000200101010023"),
        ),
        (
            "a 港澳台居民居住证 number (82: Macao)",
            "820000199510100049",
            Ok("820000199510100049"),
        ),
        (
            "wrong check digit",
            "110101199003071234",
            Err(E::CheckDigit {
                expected: '3',
                found: '4',
            }),
        ),
        (
            "29 Feb in a non-leap year",
            "650102202102290035",
            Err(E::BirthDate {
                text: "20210229".into(),
            }),
        ),
        (
            "month 13",
            "110101199013071233",
            Err(E::BirthDate {
                text: "19901307".into(),
            }),
        ),
        (
            "born tomorrow",
            "350203202608160017",
            Err(E::BirthInFuture {
                birth: date!(2026 - 08 - 16),
                today: TODAY,
            }),
        ),
        (
            "the standard's 1880 example is before the 1900 floor",
            "440524188001010014",
            Err(E::BirthBefore1900 {
                birth: date!(1880 - 01 - 01),
            }),
        ),
        (
            "region 10 is no province",
            "100101199003071233",
            Err(E::Region { code: "10".into() }),
        ),
        (
            "region 24 is no province",
            "240101199003071233",
            Err(E::Region { code: "24".into() }),
        ),
        (
            "a 15-digit first-generation number",
            "110105491231002",
            Err(E::FifteenDigit),
        ),
        ("17 digits", "11010519491231002", Err(E::Length { len: 17 })),
        (
            "X only last",
            "1101051949123100X2",
            Err(E::Character {
                position: 17,
                found: 'X',
            }),
        ),
        (
            "an inner space is refused",
            "110105 19491231002",
            Err(E::Character {
                position: 7,
                found: ' ',
            }),
        ),
    ];
    for (name, input, expected) in cases {
        eprintln!("case: {name}");
        check_resident(input, expected);
    }
}

#[test]
fn a_resident_id_knows_its_birth_date_and_region() {
    let id = resident_id("11010519491231002X", TODAY).expect("valid");
    assert_eq!(id.birth_date(), date!(1949 - 12 - 31));
    assert_eq!(id.region_code(), "110105");
    assert_eq!(id.masked(), "1101**********002X");
}

#[test]
fn resident_id_messages_are_chinese_sentences_for_the_form() {
    let cases = [
        (
            "110101199003071234",
            "身份证号码校验位不正确，请核对最后一位",
        ),
        (
            "650102202102290035",
            "身份证号码中的出生日期不正确：“20210229”不是有效日期（第7至14位）",
        ),
        (
            "350203202608160017",
            "身份证号码中的出生日期不正确：晚于今天",
        ),
        (
            "240101199003071233",
            "身份证号码地区码不正确：前两位“24”不是省级行政区划代码",
        ),
        ("1101051949", "身份证号码应为18位，您填写了10位"),
        (
            "110105491231002",
            "这是15位的第一代居民身份证号码，第一代居民身份证已于2013年1月1日停止使用，请填写18位号码",
        ),
        (
            "11010519491231002Ｙ",
            "身份证号码第18位应为数字或X，不能是“Ｙ”",
        ),
    ];
    for (input, message) in cases {
        let err = resident_id(input, TODAY).expect_err(input);
        assert_eq!(err.message(), message, "{input}");
        assert_eq!(err.to_string(), message, "{input}");
    }
}

#[track_caller]
fn check_credit(input: &str, expected: Result<&str, CreditCodeError>) {
    let got = credit_code(input);
    match expected {
        Ok(code) => assert_eq!(got.as_ref().map(CreditCode::as_str), Ok(code), "{input}"),
        Err(error) => assert_eq!(got, Err(error), "{input}"),
    }
}

#[test]
fn credit_codes_by_gb_32100() {
    use CreditCodeError as E;
    let cases: [(&str, &str, Result<&str, CreditCodeError>); 15] = [
        (
            "the standard's example",
            "91350100M000100Y43",
            Ok("91350100M000100Y43"),
        ),
        (
            "a 机关 (1 1), central region 100000",
            "11100000000013127D",
            Ok("11100000000013127D"),
        ),
        (
            "a 事业单位 (1 2)",
            "12100000400000624D",
            Ok("12100000400000624D"),
        ),
        (
            "a 基金会 (5 3), check X",
            "52100000500000769X",
            Ok("52100000500000769X"),
        ),
        (
            "a 个体工商户 (9 3)",
            "93110108MA00000004",
            Ok("93110108MA00000004"),
        ),
        (
            "department Y",
            "Y1110000MA0000000U",
            Ok("Y1110000MA0000000U"),
        ),
        (
            "department N",
            "N2330100MA0000001Y",
            Ok("N2330100MA0000001Y"),
        ),
        (
            "lower case is normalised",
            "91350100m000100y43",
            Ok("91350100M000100Y43"),
        ),
        (
            "full width is normalised",
            "９１３５０１００Ｍ０００１００Ｙ４３",
            Ok("91350100M000100Y43"),
        ),
        (
            "wrong check character",
            "91350100M000100Y44",
            Err(E::CheckChar {
                expected: '3',
                found: '4',
            }),
        ),
        (
            "O is not in the charset",
            "91350100O000100Y43",
            Err(E::Character {
                position: 9,
                found: 'O',
            }),
        ),
        (
            "department B is none",
            "B1350100M000100Y43",
            Err(E::Department { found: 'B' }),
        ),
        (
            "category 0 is none",
            "90350100M000100Y43",
            Err(E::Category { found: '0' }),
        ),
        (
            "a letter in the region",
            "9135A100M000100Y43",
            Err(E::Region {
                code: "35A100".into(),
            }),
        ),
        (
            "17 characters",
            "91350100M000100Y4",
            Err(E::Length { len: 17 }),
        ),
    ];
    for (name, input, expected) in cases {
        eprintln!("case: {name}");
        check_credit(input, expected);
    }
}

#[test]
fn credit_code_parts_and_messages() {
    let code = credit_code("91350100M000100Y43").expect("valid");
    assert_eq!(code.department(), "工商");
    assert_eq!(code.region_code(), "350100");
    assert_eq!(code.organisation_code(), "M000100Y4");
    let message = |input: &str| credit_code(input).expect_err(input).message();
    assert_eq!(
        message("91350100M000100Y44"),
        "统一社会信用代码校验位不正确，请核对最后一位"
    );
    assert_eq!(
        message("91350100I000100Y43"),
        "统一社会信用代码第9位“I”无效：只能是数字和除I、O、Z、S、V以外的大写英文字母"
    );
    assert_eq!(message("9135"), "统一社会信用代码应为18位，您填写了4位");
}

#[test]
fn masks_keep_only_the_ends() {
    let cases = [
        (mask_resident_id("110101199003071234"), "1101**********1234"),
        (mask_resident_id("11010519491231002X"), "1101**********002X"),
        (mask_resident_id("110105491231002"), "110*********002"),
        (mask_id("E12345678"), "E1*****78"),
        (mask_id("91350100M000100Y43"), "9135**********0Y43"),
        (mask_id("H1234"), "H***4"),
        (mask_id("123"), "***"),
        (mask_phone("13812345678"), "138****5678"),
        (mask_phone("010-12345678"), "***-****5678"),
        (mask_phone("+86 138 1234 5678"), "+** *** **** 5678"),
        (mask_phone("1234"), "****"),
        (mask_name("张三"), "张*"),
        (mask_name("张三丰"), "张**"),
        (mask_name("欧阳娜娜"), "欧阳**"),
        (mask_name("欧阳"), "欧*"),
        (mask_name("阿依古丽·买买提"), "阿***·***"),
        (mask_name("张"), "*"),
        (mask_name(""), ""),
    ];
    for (got, expected) in cases {
        assert_eq!(got, expected);
    }
}

/// A valid resident ID: a province from the list, a birth date 1900-01-01 … TODAY, a sequence.
fn valid_resident_id() -> impl Strategy<Value = String> {
    let first = date!(1900 - 01 - 01).to_julian_day();
    (
        proptest::sample::select(PROVINCES.to_vec()),
        0u32..10_000,
        first..=TODAY.to_julian_day(),
        0u32..1000,
    )
        .prop_map(|(province, county, jd, sequence)| {
            let birth = Date::from_julian_day(jd).expect("date");
            let body = format!(
                "{province:02}{county:04}{:04}{:02}{:02}{sequence:03}",
                birth.year(),
                u8::from(birth.month()),
                birth.day()
            );
            let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
            format!("{body}{}", resident_check(&digits))
        })
}

/// A valid credit code: any department, category, region and body, with its check character.
fn valid_credit_code() -> impl Strategy<Value = String> {
    let charset: Vec<char> = CREDIT_CHARSET.chars().collect();
    let departments: Vec<char> = REGISTRATION_DEPARTMENTS.iter().map(|(c, _)| *c).collect();
    (
        proptest::sample::select(departments),
        1u32..10,
        0u32..1_000_000,
        proptest::collection::vec(proptest::sample::select(charset), 9),
    )
        .prop_map(|(department, category, region, body)| {
            let head = format!("{department}{category}{region:06}");
            let first17: String = head.chars().chain(body).collect();
            let sum: u32 = first17
                .chars()
                .zip(CREDIT_WEIGHTS)
                .map(|(c, w)| credit_value(c).expect("charset") * w)
                .sum();
            let check = CREDIT_CHARSET
                .chars()
                .nth(((31 - sum % 31) % 31) as usize)
                .expect("check");
            format!("{first17}{check}")
        })
}

proptest! {
    #[test]
    fn a_valid_resident_id_with_any_one_digit_changed_fails(
        id in valid_resident_id(),
        position in 0usize..18,
        delta in 1u32..10,
    ) {
        prop_assert!(resident_id(&id, TODAY).is_ok(), "{}", id);
        let mut chars: Vec<char> = id.chars().collect();
        // The check position may hold X (10): change it to a digit, which is always different.
        let old = chars[position].to_digit(10).unwrap_or(0);
        chars[position] = char::from_digit((old + delta) % 10, 10).expect("digit");
        let changed: String = chars.into_iter().collect();
        prop_assert!(resident_id(&changed, TODAY).is_err(), "{} → {}", id, changed);
    }

    #[test]
    fn a_valid_credit_code_with_any_one_character_changed_fails(
        code in valid_credit_code(),
        position in 0usize..18,
        delta in 1usize..31,
    ) {
        prop_assert!(credit_code(&code).is_ok(), "{}", code);
        let charset: Vec<char> = CREDIT_CHARSET.chars().collect();
        let mut chars: Vec<char> = code.chars().collect();
        let old = charset.iter().position(|&c| c == chars[position]).expect("charset");
        chars[position] = charset[(old + delta) % 31];
        let changed: String = chars.into_iter().collect();
        prop_assert!(credit_code(&changed).is_err(), "{} → {}", code, changed);
    }

    #[test]
    fn checking_any_text_never_panics(text in "\\PC{0,24}") {
        let _ = resident_id(&text, TODAY);
        let _ = credit_code(&text);
        let _ = (mask_resident_id(&text), mask_id(&text), mask_phone(&text), mask_name(&text));
    }
}
