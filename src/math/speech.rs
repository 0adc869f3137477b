//! The spoken form of an equation, from DAISY's MathCAT: what a screen reader would say, used as
//! the alternative text of every equation in the PDF and the EPUB.
//!
//! MathCAT keeps its rules and preferences per thread; its rules are built into the binary, so no
//! file on the machine (nor a user's MathCAT preferences) changes what it says.

use std::cell::RefCell;

thread_local! {
    /// The language MathCAT was set up for on this thread, once it has been.
    static LANGUAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The languages MathCAT has speech rules for.
const LANGUAGES: [&str; 15] =
    ["de", "el", "en", "es", "fi", "fr", "hu", "id", "nb", "pl", "pt", "ru", "sv", "vi", "zh"];

/// Returns the language MathCAT speaks for a book in `language` (a lowercase subtag): the same
/// one if MathCAT has rules for it, else English.
pub fn speech_language(language: &str) -> &'static str {
    LANGUAGES.iter().find(|&&l| l == language).copied().unwrap_or("en")
}

/// Returns what a screen reader says for `mathml`, in `language` (from [`speech_language`]), or
/// `None` if MathCAT cannot read it.
pub fn speak(mathml: &str, language: &str) -> Option<String> {
    LANGUAGE.with(|set| {
        let mut set = set.borrow_mut();
        if set.as_deref() != Some(language) {
            setup(language).ok()?;
            *set = Some(language.to_string());
        }
        Some(())
    })?;
    libmathcat::interface::set_mathml(mathml).ok()?;
    let speech = libmathcat::interface::get_spoken_text().ok()?;
    let speech = speech.split_whitespace().collect::<Vec<_>>().join(" ");
    (!speech.is_empty()).then_some(speech)
}

/// MathCAT replaces the process's panic hook with one that only records the panic, so that its
/// own calls can report it; that would silence every other panic of revise. Its hook is installed
/// here once, chained with the one that was there before, which still reports panics outside
/// MathCAT.
fn keep_panic_messages() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let ours = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        libmathcat::interface::init_panic_handler();
        let mathcat = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            mathcat(info);
            if !info.location().is_some_and(|l| l.file().contains("mathcat")) {
                ours(info);
            }
        }));
    });
}

fn setup(language: &str) -> libmathcat::errors::Result<()> {
    use libmathcat::interface::{set_preference, set_rules_dir};
    keep_panic_messages();
    set_rules_dir("Rules")?;
    set_preference("Language", language)?;
    set_preference("SpeechStyle", "ClearSpeak")?;
    set_preference("Verbosity", "Medium")?;
    set_preference("TTS", "None")?;
    set_preference("CheckRuleFiles", "None")?;
    Ok(())
}
