//! The notices of a case: the procedural 告知书 of spec/workflows.md §2.4 and one reply per
//! [`Outcome`].

use std::fmt;

use gongkai_core::outcome::{OUTCOMES, Outcome};

/// Which notice a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// 政府信息公开申请登记回执: the application was received (art. 31).
    Receipt,
    /// 政府信息公开申请补正告知书: what to correct and by when (art. 30).
    Correction,
    /// 政府信息公开申请延期答复告知书: the reply is extended (art. 33 ¶2).
    Extension,
    /// 政府信息公开第三方意见征求书: a third party is consulted (art. 32).
    Consultation,
    /// 政府信息公开信息处理费收费通知书 (国办函〔2020〕109号).
    Fee,
    /// The reply that closes the case with this outcome; its title is the outcome's
    /// [`NoticeSpec`](gongkai_core::outcome::NoticeSpec).
    Reply(Outcome),
}

/// The family of default template a kind is rendered with; one embedded file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Receipt,
    Correction,
    Extension,
    Consultation,
    Fee,
    Disclosure,
    Withheld,
    Unavailable,
    Rejected,
    Ended,
    Other,
}

impl Family {
    pub(crate) fn file(self) -> &'static str {
        match self {
            Family::Receipt => "receipt.txt",
            Family::Correction => "correction.txt",
            Family::Extension => "extension.txt",
            Family::Consultation => "consultation.txt",
            Family::Fee => "fee.txt",
            Family::Disclosure => "reply_disclosure.txt",
            Family::Withheld => "reply_withheld.txt",
            Family::Unavailable => "reply_unavailable.txt",
            Family::Rejected => "reply_rejected.txt",
            Family::Ended => "reply_ended.txt",
            Family::Other => "reply_other.txt",
        }
    }

    pub(crate) fn source(self) -> &'static str {
        match self {
            Family::Receipt => include_str!("../templates/receipt.txt"),
            Family::Correction => include_str!("../templates/correction.txt"),
            Family::Extension => include_str!("../templates/extension.txt"),
            Family::Consultation => include_str!("../templates/consultation.txt"),
            Family::Fee => include_str!("../templates/fee.txt"),
            Family::Disclosure => include_str!("../templates/reply_disclosure.txt"),
            Family::Withheld => include_str!("../templates/reply_withheld.txt"),
            Family::Unavailable => include_str!("../templates/reply_unavailable.txt"),
            Family::Rejected => include_str!("../templates/reply_rejected.txt"),
            Family::Ended => include_str!("../templates/reply_ended.txt"),
            Family::Other => include_str!("../templates/reply_other.txt"),
        }
    }
}

impl NoticeKind {
    /// Every kind: the five procedural notices, then one reply per outcome in 表三 order.
    pub fn all() -> impl Iterator<Item = NoticeKind> {
        [
            NoticeKind::Receipt,
            NoticeKind::Correction,
            NoticeKind::Extension,
            NoticeKind::Consultation,
            NoticeKind::Fee,
        ]
        .into_iter()
        .chain(OUTCOMES.iter().map(|s| NoticeKind::Reply(s.outcome)))
    }

    /// Stable key, for template overrides stored per organ: `receipt`, `reply.disclosed`.
    pub fn key(self) -> String {
        match self {
            NoticeKind::Receipt => "receipt".to_owned(),
            NoticeKind::Correction => "correction".to_owned(),
            NoticeKind::Extension => "extension".to_owned(),
            NoticeKind::Consultation => "consultation".to_owned(),
            NoticeKind::Fee => "fee".to_owned(),
            NoticeKind::Reply(o) => format!("reply.{}", o.key()),
        }
    }

    /// The kind with this [`key`](Self::key).
    pub fn from_key(key: &str) -> Option<NoticeKind> {
        match key {
            "receipt" => Some(NoticeKind::Receipt),
            "correction" => Some(NoticeKind::Correction),
            "extension" => Some(NoticeKind::Extension),
            "consultation" => Some(NoticeKind::Consultation),
            "fee" => Some(NoticeKind::Fee),
            _ => key
                .strip_prefix("reply.")
                .and_then(Outcome::from_key)
                .map(NoticeKind::Reply),
        }
    }

    /// The document's title. A reply's is its outcome's `NoticeSpec::title`.
    pub fn title(self) -> &'static str {
        match self {
            NoticeKind::Receipt => "政府信息公开申请登记回执",
            NoticeKind::Correction => "政府信息公开申请补正告知书",
            NoticeKind::Extension => "政府信息公开申请延期答复告知书",
            NoticeKind::Consultation => "政府信息公开第三方意见征求书",
            NoticeKind::Fee => "政府信息公开信息处理费收费通知书",
            NoticeKind::Reply(o) => o.notice().title,
        }
    }

    /// The article the notice must cite, as it must appear in the text; `None` where there is
    /// none to cite (a receipt; a withdrawal; an outcome with no article of the 条例, such as a
    /// request to confirm information, whose row comes from the report format, not the law).
    pub fn article(self) -> Option<&'static str> {
        match self {
            NoticeKind::Receipt => None,
            NoticeKind::Correction => Some("第三十条"),
            NoticeKind::Extension => Some("第三十三条第二款"),
            NoticeKind::Consultation => Some("第三十二条"),
            NoticeKind::Fee => Some(FEE_MEASURES_NUMBER),
            NoticeKind::Reply(o) => match o {
                Outcome::Confirmation | Outcome::Withdrawn | Outcome::OtherClosed => None,
                // The core basis names the measures in full; the document number is what
                // every wording of it keeps.
                Outcome::FeeUnpaid => Some(FEE_MEASURES_NUMBER),
                _ => Some(o.basis()),
            },
        }
    }

    /// The citation as printed: a 条例 article is prefixed with the 条例's name.
    pub fn legal_basis(self) -> Option<String> {
        match self {
            NoticeKind::Fee | NoticeKind::Reply(Outcome::FeeUnpaid) => {
                Some(FEE_MEASURES.to_owned())
            }
            _ => self.article().map(regulation_citation),
        }
    }

    pub(crate) fn family(self) -> Family {
        use Outcome as O;
        match self {
            NoticeKind::Receipt => Family::Receipt,
            NoticeKind::Correction => Family::Correction,
            NoticeKind::Extension => Family::Extension,
            NoticeKind::Consultation => Family::Consultation,
            NoticeKind::Fee => Family::Fee,
            NoticeKind::Reply(o) => match o {
                O::AlreadyPublic | O::Disclosed | O::PartlyDisclosed => Family::Disclosure,
                O::WithheldStateSecret
                | O::WithheldProhibitedByLaw
                | O::WithheldSecurityStability
                | O::WithheldThirdParty
                | O::WithheldInternalAffairs
                | O::WithheldProcessInfo
                | O::WithheldEnforcementFile
                | O::InquiryMatter => Family::Withheld,
                O::DoesNotExist | O::NotThisOrgan | O::NeedsCreation | O::StillUnclear => {
                    Family::Unavailable
                }
                O::Petition | O::Repeat | O::Publication | O::Excessive | O::Confirmation => {
                    Family::Rejected
                }
                O::NoCorrection | O::FeeUnpaid | O::Withdrawn => Family::Ended,
                O::OtherClosed => Family::Other,
            },
        }
    }

    /// The embedded national default template of this kind (minijinja source).
    pub fn default_template(self) -> &'static str {
        self.family().source()
    }
}

impl fmt::Display for NoticeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoticeKind::Reply(o) => write!(f, "{}（{}）", self.title(), o.label()),
            _ => f.write_str(self.title()),
        }
    }
}

pub(crate) const FEE_MEASURES_NUMBER: &str = "国办函〔2020〕109号";
const FEE_MEASURES: &str = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）";
const REGULATION: &str = "《中华人民共和国政府信息公开条例》";

/// `第三十七条` → `《中华人民共和国政府信息公开条例》第三十七条`. A basis that already names its
/// instrument (starts with 《) is left as it is.
pub(crate) fn regulation_citation(article: &str) -> String {
    if article.starts_with('《') {
        article.to_owned()
    } else {
        format!("{REGULATION}{article}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_are_unique() {
        let kinds: Vec<_> = NoticeKind::all().collect();
        assert_eq!(kinds.len(), 5 + OUTCOMES.len());
        for k in &kinds {
            assert_eq!(NoticeKind::from_key(&k.key()), Some(*k), "{k}");
        }
        assert_eq!(NoticeKind::from_key("reply.nonsense"), None);
    }

    #[test]
    fn reply_titles_come_from_the_outcome_table() {
        for s in OUTCOMES {
            assert_eq!(NoticeKind::Reply(s.outcome).title(), s.notice.title);
        }
    }

    #[test]
    fn articles_cite_the_regulation() {
        // 条例 art. 37 (partial disclosure); art. 30 (补正); art. 33 ¶2 (extension).
        assert_eq!(
            NoticeKind::Reply(Outcome::PartlyDisclosed)
                .legal_basis()
                .as_deref(),
            Some("《中华人民共和国政府信息公开条例》第三十七条")
        );
        assert_eq!(NoticeKind::Correction.article(), Some("第三十条"));
        assert_eq!(NoticeKind::Reply(Outcome::Confirmation).article(), None);
    }
}
