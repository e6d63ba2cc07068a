//! Detects Burmese text typed in the legacy Zawgyi encoding instead of Unicode. Zawgyi reuses Myanmar code
//! points with a visual order: the vowel sign E (U+1031) is typed before its consonant, and stacked or
//! reshaped letters use code points that Unicode Burmese never needs. Such text looks right only with a
//! Zawgyi font and breaks search, sorting and printing.

/// Where Zawgyi is likely: the byte offset of the first tell-tale sign, when there are enough of them.
pub fn detect(text: &str) -> Option<usize> {
    // Myanmar letters are U+1000..U+109F, three bytes starting E1 80..82 in UTF-8: skip texts without any.
    if !text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == 0xE1 && (0x80..=0x82).contains(&w[1]))
    {
        return None;
    }
    let mut myanmar = 0usize;
    let mut signs = 0usize;
    let mut first = None;
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let cp = c as u32;
        if (0x1000..=0x109F).contains(&cp) {
            myanmar += 1;
        }
        let sign = match cp {
            // E typed first: in Unicode it always follows a consonant or a medial.
            0x1031 => !prev.is_some_and(|p| is_base_or_medial(p as u32)),
            // Zawgyi's stacked consonants and reshaped forms, unused in Unicode Burmese.
            0x1060..=0x1097 => !matches!(cp, 0x1062..=0x1064 | 0x1067..=0x106D | 0x1083..=0x1086),
            // Medial RA in Zawgyi (U+103B) comes before the consonant.
            0x103B => !prev.is_some_and(|p| (0x1000..=0x1021).contains(&(p as u32))),
            _ => false,
        };
        if sign {
            signs += 1;
            first.get_or_insert(i);
        }
        prev = Some(c);
    }
    (myanmar >= 8 && signs >= 2 && signs * 50 >= myanmar)
        .then_some(first)
        .flatten()
}

fn is_base_or_medial(cp: u32) -> bool {
    matches!(cp, 0x1000..=0x102A | 0x103B..=0x103E | 0x1039 | 0x103A | 0x104E | 0x1050..=0x1055 | 0x105A..=0x105D | 0x1061 | 0x1065..=0x1066 | 0x106E..=0x1070 | 0x1075..=0x1081 | 0x108E)
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn unicode_burmese_is_not_flagged() {
        assert_eq!(
            detect("မင်္ဂလာပါ။ ကျောင်းသားများ စွန့်ပစ်ပစ္စည်းကို ခွဲခြားပါ။ မြို့တော် ရေပေးဝေရေး"),
            None
        );
    }

    #[test]
    fn zawgyi_is_flagged() {
        // "ေမြ" and "ျမန္မာ" typed the Zawgyi way: E and medial RA before their consonants.
        let zawgyi = "ျမန္မာ ေက်ာင္းသား ေတြ ေရ ေပးေဝေရး ေမြးဖြား";
        assert_eq!(detect(zawgyi), Some(0));
    }

    #[test]
    fn other_scripts_are_ignored() {
        assert_eq!(detect("Kitakyushu and Mandalay, 北九州市"), None);
    }
}
