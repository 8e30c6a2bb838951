"""The plain LangChain RAG that Sanad is measured against: RecursiveCharacterTextSplitter
(1000/200 characters), Chroma top-4 by similarity, LangChain's classic "stuff" prompt, and the
same model and embedder as Sanad."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.copying import CopyRule
from bot.generation import Generator, Message
from retrieval.documents import find_files, load_file
from retrieval.store import chroma_client

# LangChain's stuff-documents question-answering prompt, as its RetrievalQA chain had it.
STUFF = (
    "Use the following pieces of context to answer the question at the end. If you don't know "
    "the answer, just say that you don't know, don't try to make up an answer.\n\n"
    "{context}\n\nQuestion: {question}\nHelpful Answer:"
)
DONT_KNOW = re.compile(r"don'?t know|do not know|not (mentioned|provided|stated)|لا أعرف|لا أعلم")


class Baseline:
    def __init__(
        self, corpus: Path, embeddings: Embeddings, generator: Generator, directory: Path
    ) -> None:
        documents = [
            Document(page_content=article.text, metadata={"source": article.source})
            for path, source in find_files([corpus])
            for article in load_file(path, source)
        ]
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        self.chunks = splitter.split_documents(documents)
        self.vectors = Chroma.from_documents(
            self.chunks, embeddings, collection_name="langchain-baseline",
            client=chroma_client(directory),
        )  # fmt: skip
        self.retriever = self.vectors.as_retriever(search_kwargs={"k": 4})
        self.generator = generator

    def messages(self, question: str) -> tuple[list[Message], list[Document]]:
        documents = self.retriever.invoke(question)
        context = "\n\n".join(d.page_content for d in documents)
        prompt = STUFF.format(context=context, question=question)
        return [{"role": "user", "content": prompt}], documents

    def stream(
        self, messages: list[Message], max_new_tokens: int = 256, copy: CopyRule | None = None
    ) -> Iterator[str]:
        yield from self.generator.stream(messages, max_new_tokens, copy)

    def warm_up(self) -> None:
        """Reads the prompt's fixed opening once, as Sanad's warm-up does for its own."""
        self.generator.generate(self.messages("?")[0], max_new_tokens=1)

    @staticmethod
    def refused(answer: str) -> bool:
        return bool(DONT_KNOW.search(answer))
