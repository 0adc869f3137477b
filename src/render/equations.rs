//! The book's equations as SVG images, for the outputs that show no MathML (the Kindle and Kobo
//! editions): drawn once a build, when the first of them asks, and shared. The HTML writer is run
//! once to find every equation it writes, in reading order, and typst draws them all in one layout
//! ([`crate::layout::math_images`]). An equation written twice is one image.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::diagnostics::Diagnostic;
use crate::layout::fonts::Families;
use crate::layout::math_images::{self, EquationImage};
use crate::math::Math;
use crate::render::RenderContext;
use crate::render::html::{self, Links};

/// The folder of the equations' images, inside a package (beside the EPUB's `media/`, which holds
/// the book's own images by their paths, so the two never meet).
pub const EQUATIONS_DIR: &str = "equations";

/// The book's equations as images, drawn when first asked for.
#[derive(Default)]
pub struct EquationImages {
    drawn: OnceLock<Result<Equations, Vec<Diagnostic>>>,
}

impl EquationImages {
    /// Returns the book's equations, drawing them the first time.
    pub fn get(&self, ctx: &RenderContext) -> Result<&Equations, Vec<Diagnostic>> {
        self.drawn.get_or_init(|| Equations::draw(ctx)).as_ref().map_err(Clone::clone)
    }
}

/// The book's equations, each drawn once.
pub struct Equations {
    /// Each equation's image number, by its LaTeX and whether it is display maths.
    numbers: HashMap<(String, bool), usize>,
    images: Vec<EquationImage>,
}

impl Equations {
    /// Finds and draws every equation the book's documents hold.
    fn draw(ctx: &RenderContext) -> Result<Self, Vec<Diagnostic>> {
        let finder = Finder { found: Mutex::new(Vec::new()) };
        html::documents(ctx.book, ctx.derived, &finder, None);
        let found = finder.found.into_inner().unwrap_or_else(PoisonError::into_inner);
        let mut numbers = HashMap::new();
        let mut unique: Vec<&Math> = Vec::new();
        for math in &found {
            numbers.entry(key(math)).or_insert_with(|| {
                unique.push(math);
                unique.len() - 1
            });
        }
        let fonts = Families::of(&ctx.book.manifest.pdf).body;
        let images = math_images::draw(ctx.root, &fonts, &unique)?;
        Ok(Self { numbers, images })
    }

    /// Returns an equation's image and its path in the package, when it was drawn.
    pub fn image(&self, math: &Math) -> Option<(String, &EquationImage)> {
        let n = *self.numbers.get(&key(math))?;
        Some((path(n), &self.images[n]))
    }

    /// Returns every image with its path in the package, in reading order.
    pub fn files(&self) -> impl Iterator<Item = (String, &str)> {
        self.images.iter().enumerate().map(|(n, image)| (path(n), image.svg.as_str()))
    }
}

fn key(math: &Math) -> (String, bool) {
    (math.latex.clone(), math.display)
}

fn path(n: usize) -> String {
    format!("{EQUATIONS_DIR}/equation-{}.svg", n + 1)
}

/// Links that note each equation written; where other links lead does not matter here.
struct Finder {
    found: Mutex<Vec<Math>>,
}

impl Links for Finder {
    fn image_src(&self, path: &str) -> String {
        html::xml::url(path)
    }

    fn in_book(&self) -> bool {
        true
    }

    fn equation(&self, math: &Math, _: &mut String) {
        self.found.lock().unwrap_or_else(PoisonError::into_inner).push(math.clone());
    }
}
