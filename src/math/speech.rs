//! The spoken form of an equation, from DAISY's MathCAT: what a screen reader would say, used as
//! the alternative text of every equation in the PDF and the EPUB.
//!
//! MathCAT keeps its rules and preferences per thread; its rules are built into the binary, so no
//! file on the machine (nor a user's MathCAT preferences) changes what it says. It takes about a
//! millisecond of CPU an equation (MathCAT 0.7.7 took eight: see Cargo.toml), so equations are
//! spoken on worker threads (one a core, for the life of the process) while the book is still
//! being read, each distinct one once, and remembered for the rest of the process (a rebuild in
//! `revise watch` speaks only the equations that changed).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, OnceLock};

thread_local! {
    /// The language MathCAT was set up for on this thread, once it has been.
    static LANGUAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// What was said for each equation, by language and MathML, for the life of the process.
static SPOKEN: Mutex<Option<HashMap<(&'static str, String), String>>> = Mutex::new(None);

/// Forgets every spoken form remembered, so that the next build speaks its equations again.
pub fn forget() {
    if let Ok(mut cache) = SPOKEN.lock() {
        *cache = None;
    }
}

/// The languages MathCAT has speech rules for.
const LANGUAGES: [&str; 15] =
    ["de", "el", "en", "es", "fi", "fr", "hu", "id", "nb", "pl", "pt", "ru", "sv", "vi", "zh"];

/// Returns the language MathCAT speaks for a book in `language` (a lowercase subtag): the same
/// one if MathCAT has rules for it, else English.
pub fn speech_language(language: &str) -> &'static str {
    LANGUAGES.iter().find(|&&l| l == language).copied().unwrap_or("en")
}

/// The spoken form of one equation, which a worker fills in.
pub type Spoken = Arc<OnceLock<String>>;

/// A job: the language, the MathML to speak, the text to use if MathCAT cannot, and where to put
/// the result.
type Job = (&'static str, String, String, Spoken);

/// The workers' queue. They start with the first equation and live as long as the process, so
/// that each sets MathCAT up once, not once a build (`revise watch`, the tests and fuzzing build
/// many books in one process).
static QUEUE: OnceLock<Mutex<Sender<Job>>> = OnceLock::new();

fn queue() -> &'static Mutex<Sender<Job>> {
    QUEUE.get_or_init(|| {
        let (sender, receiver) = channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let count = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
        for _ in 0..count {
            let receiver = receiver.clone();
            // A worker that cannot start leaves its share to the others, or to the caller.
            let _ = std::thread::Builder::new().name("mathcat".into()).spawn(move || work(&receiver));
        }
        Mutex::new(sender)
    })
}

/// Sends a book's equations to the workers.
pub struct Speaker {
    language: &'static str,
    /// The equations of this book so far, so that one written twice is spoken once.
    seen: HashMap<String, Spoken>,
}

impl Speaker {
    /// Creates a speaker for `language`, from [`speech_language`].
    pub fn new(language: &'static str) -> Self {
        Self { language, seen: HashMap::new() }
    }

    /// Returns the spoken form of `mathml`, filled in by a worker soon; `fallback` is used if
    /// MathCAT cannot read it.
    pub fn speak(&mut self, mathml: &str, fallback: &str) -> Spoken {
        if let Some(spoken) = self.seen.get(mathml) {
            return spoken.clone();
        }
        let spoken = Spoken::default();
        self.seen.insert(mathml.to_string(), spoken.clone());
        let key = (self.language, mathml.to_string());
        if let Some(said) = SPOKEN.lock().ok().and_then(|cache| cache.as_ref()?.get(&key).cloned()) {
            let _ = spoken.set(said);
            return spoken;
        }
        let job = (self.language, key.1, fallback.to_string(), spoken.clone());
        let sent = queue().lock().map_err(|_| job.clone()).and_then(|sender| sender.send(job).map_err(|e| e.0));
        if let Err((language, mathml, fallback, spoken)) = sent {
            // No worker can take it: speak it here.
            let _ = spoken.set(speak_now(&mathml, language).unwrap_or(fallback));
        }
        spoken
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok((language, mathml, fallback, spoken)) = job else { return };
        // A panic must not end the worker, which would leave equations waiting for ever.
        let said = std::panic::catch_unwind(|| speak_now(&mathml, language)).ok().flatten();
        if let (Some(said), Ok(mut cache)) = (&said, SPOKEN.lock()) {
            cache.get_or_insert_with(HashMap::new).insert((language, mathml), said.clone());
        }
        let _ = spoken.set(said.unwrap_or(fallback));
    }
}

/// Returns what a screen reader says for `mathml` in `language`, or `None` if MathCAT cannot
/// read it.
fn speak_now(mathml: &str, language: &str) -> Option<String> {
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
