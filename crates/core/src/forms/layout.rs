//! Chinese line breaking for printed forms: a line may break between any two Chinese characters,
//! never inside a run of digits or Latin letters ("9:00", "DF-20261128-0001"), never before closing
//! punctuation and never after opening punctuation (the 禁则 of GB/T 15834 typesetting).

/// Punctuation that may not start a line.
const NO_START: &str = "，。、；：？！）》」』】〕〉”’…—%‰·,.;:?!)]}";
/// Punctuation that may not end a line.
const NO_END: &str = "（《「『【〔〈“‘([{";

fn is_word_char(c: char) -> bool {
    c.is_ascii_graphic() && !"()[]{}".contains(c)
}

/// Splits text into the pieces a line may break between. Spaces become their own pieces; a run
/// of ASCII letters, digits and their joining marks stays whole; closing punctuation sticks to the
/// piece before it, opening punctuation to the piece after it.
pub fn pieces(text: &str) -> Vec<String> {
    let mut raw: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_word_char(c) {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            raw.push(std::mem::take(&mut word));
        }
        raw.push(c.to_string());
    }
    if !word.is_empty() {
        raw.push(word);
    }
    // Glue: closing marks onto the previous piece, opening marks onto the next.
    let mut out: Vec<String> = Vec::new();
    let mut pending_open = String::new();
    for p in raw {
        let first = p.chars().next().unwrap_or(' ');
        if p.chars().count() == 1 && NO_START.contains(first) && pending_open.is_empty() {
            if let Some(last) = out.last_mut() {
                if !last.trim().is_empty() {
                    last.push_str(&p);
                    continue;
                }
            }
        }
        if p.chars().count() == 1 && NO_END.contains(first) {
            pending_open.push_str(&p);
            continue;
        }
        if !pending_open.is_empty() {
            out.push(std::mem::take(&mut pending_open) + &p);
        } else {
            out.push(p);
        }
    }
    if !pending_open.is_empty() {
        out.push(pending_open);
    }
    out
}

/// Breaks `text` into lines no wider than `max` as measured by `width`. Newlines force a break;
/// spaces at the start of a line are dropped. A single piece wider than a line (a very long
/// number) is cut by character, the only case where a run is split.
pub fn wrap(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for piece in pieces(para) {
            let w = width(&piece);
            if line_w + w <= max + 1e-3 {
                if !(line.is_empty() && piece.trim().is_empty()) {
                    line.push_str(&piece);
                    line_w += w;
                }
                continue;
            }
            if piece.trim().is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
                line_w = 0.0;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
                line_w = 0.0;
            }
            if w <= max {
                line = piece;
                line_w = w;
            } else {
                for c in piece.chars() {
                    let cw = width(&c.to_string());
                    if line_w + cw > max + 1e-3 && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hanzi one unit wide, everything else half.
    fn w(s: &str) -> f32 {
        s.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum()
    }

    #[test]
    fn runs_of_digits_and_latin_stay_whole() {
        let lines = wrap("请于上午9:00到窗口领取，编号DF-20261128-0001。", 8.0, &w);
        assert!(lines.iter().any(|l| l.contains("9:00")), "{lines:?}");
        assert!(
            lines.iter().any(|l| l.contains("DF-20261128-0001")),
            "{lines:?}"
        );
        assert_eq!(
            lines.concat(),
            "请于上午9:00到窗口领取，编号DF-20261128-0001。"
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line_and_opening_never_ends_one() {
        // Width 4: "一二三四" fills the line, the comma must travel with 四.
        let lines = wrap("一二三四，五六七（八）九", 4.0, &w);
        for l in &lines {
            let first = l.chars().next().unwrap();
            let last = l.chars().last().unwrap();
            assert!(!NO_START.contains(first), "{lines:?}");
            assert!(!NO_END.contains(last), "{lines:?}");
        }
    }

    #[test]
    fn newlines_force_breaks() {
        assert_eq!(wrap("甲\n乙", 10.0, &w), vec!["甲", "乙"]);
    }

    proptest! {
        #[test]
        fn wrapping_loses_nothing_and_respects_the_width(
            text in "[一二三四五六七八九十，。（）0-9A-Za-z:\\-]{0,80}",
            max in 3.0f32..30.0,
        ) {
            let lines = wrap(&text, max, &w);
            prop_assert_eq!(lines.concat(), text.clone());
            for l in &lines {
                // A line is only too wide when a single unbreakable run is.
                if w(l) > max + 1e-3 {
                    prop_assert_eq!(pieces(l).len(), 1, "{:?}", lines);
                }
            }
            // A break between two ASCII word characters only happens inside a run wider
            // than a whole line.
            for pair in lines.windows(2) {
                // With the punctuation glued to the run, which travels with it.
                let tail: String = pair[0]
                    .chars()
                    .rev()
                    .take_while(|&c| is_word_char(c) || NO_END.contains(c))
                    .collect();
                let head: String = pair[1]
                    .chars()
                    .take_while(|&c| is_word_char(c) || NO_START.contains(c))
                    .collect();
                let joins_run = tail.chars().next().is_some_and(is_word_char)
                    && head.chars().next().is_some_and(is_word_char);
                if joins_run {
                    prop_assert!(w(&tail) + w(&head) > max, "{:?}", lines);
                }
            }
        }
    }
}
