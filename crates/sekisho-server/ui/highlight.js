// Marks the tokens the matcher aligned, in a name as the user typed it or as the list
// writes it. The explanation gives tokens in the matcher's folded form ("kim", "ジョンウン");
// each character of the shown name is folded the same way (NFKC, lower case, Latin accents
// and apostrophes dropped, punctuation as a space) and the tokens are found in that text.

const APOSTROPHES = /['’‘ʻʼʿʾ´`]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

function foldChar(ch) {
  if (APOSTROPHES.test(ch)) return "";
  const folded = ch
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .normalize("NFC");
  return [...folded].map((c) => (WORD_CHAR.test(c) ? c : " ")).join("");
}

/** The folded text and, for each of its characters, the index of the source character. */
function foldWithMap(chars) {
  let folded = "";
  const owner = [];
  chars.forEach((ch, i) => {
    for (const c of foldChar(ch)) {
      folded += c;
      owner.push(i);
    }
  });
  return { folded, owner };
}

function isBoundary(text, at) {
  return at <= 0 || at >= text.length || text[at] === " " || text[at - 1] === " ";
}

/** Start of `word` in `text`, preferring a whole-word occurrence not yet taken; -1 if none. */
function findWord(text, word, taken) {
  let fallback = -1;
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const free = !taken.slice(at, at + word.length).some(Boolean);
    if (!free) continue;
    if (isBoundary(text, at) && isBoundary(text, at + word.length)) return at;
    if (fallback < 0) fallback = at;
  }
  return fallback;
}

/**
 * A fragment showing `text` with the given tokens in <mark>: `marks` is a list of
 * {token, pair, title}, where token is folded text (words separated by spaces) and pair the
 * number shown beside both sides of an aligned pair.
 */
export function highlightName(text, marks) {
  const chars = [...text];
  const { folded, owner } = foldWithMap(chars);
  const pairOf = new Array(chars.length).fill(null);
  const taken = new Array(folded.length).fill(false);
  for (const mark of marks) {
    for (const word of mark.token.split(" ").filter(Boolean)) {
      const at = findWord(folded, word, taken);
      if (at < 0) continue;
      for (let i = at; i < at + word.length; i++) {
        taken[i] = true;
        pairOf[owner[i]] = mark;
      }
    }
  }
  const fragment = document.createDocumentFragment();
  let i = 0;
  while (i < chars.length) {
    const mark = pairOf[i];
    let j = i;
    while (j < chars.length && pairOf[j] === mark) j++;
    const piece = chars.slice(i, j).join("");
    if (mark) {
      const el = document.createElement("mark");
      el.className = `token pair-${mark.pair % 6}`;
      el.dataset.pair = String(mark.pair + 1);
      el.title = mark.title;
      el.textContent = piece;
      fragment.append(el);
    } else {
      fragment.append(piece);
    }
    i = j;
  }
  return fragment;
}
