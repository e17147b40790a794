import unicodedata


def fold_vietnamese(text: str) -> str:
    """Lower-case text without diacritics, so that "dong anh" finds "Đông Anh"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())
