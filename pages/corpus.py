"""语料管理 Corpus: upload papers, edit their metadata, export or import the corpus as one zip."""

from components import corpus_admin, layout, state
from components.data import current_corpus
from components.shell import run_page


def render() -> None:
    lang, present = state.get("lang"), state.get("present")
    layout.header("corpus", lang, present)
    corpus_admin.render(current_corpus(), lang, present)


run_page(render)
