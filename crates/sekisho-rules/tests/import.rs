//! The rulebook imported from the real reference files in `../shared/data/control`.

use std::sync::LazyLock;

use sekisho_rules::Rulebook;

static BOOK: LazyLock<Option<Rulebook>> = LazyLock::new(|| {
    let dir = sekisho_lists::shared_data_dir()?.join("control");
    Some(Rulebook::import(&dir).unwrap_or_else(|e| panic!("import failed: {e}")))
});

#[test]
fn imports() {
    let Some(book) = BOOK.as_ref() else { return };
    eprintln!("{}", book.version.id);
}
