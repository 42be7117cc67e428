"""语料管理 Corpus: upload papers, edit their metadata, export or import the corpus as one zip."""

from components import corpus_admin
from components.page import PageContext
from components.shell import run_page


def render(page: PageContext) -> None:
    corpus_admin.render(page.corpus, page.lang, page.present)


run_page(render)
