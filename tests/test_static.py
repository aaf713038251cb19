"""Static embedding models (``_static.py``): Model2Vec, ST, WordLlama.

The Model2Vec folders are written by model2vec itself, from a WordPiece
tokenizer trained here on the movie reviews and random vectors; the
sentence-transformers one by hand, as its ``StaticEmbedding.save`` lays it out
(sentence-transformers needs torch, not installed: its computation, the mean
of ``nn.EmbeddingBag``, is done here with numpy). WordLlama's wheel ships real
weights, compared with its own ``embed``.
"""

import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest
import wordllama
from gensim.models import KeyedVectors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model2vec import StaticModel
from safetensors.numpy import load_file, save_file
from sklearn.base import clone
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
from wordllama import WordLlama

import skw2v._parallel
from skw2v import (
    AvgWord2VecTransformer,
    EmbeddingSequencer,
    FastTextVectorizer,
    PretrainedEmbeddingVectorizer,
    Word2VecVectorizer,
    clear_registry,
    load_vectors,
)
from skw2v._loading import load_counts
from skw2v._static import static_tokenizer
from skw2v.utils.estimator_checks import check_id, text_estimator_checks

#: The folder of WordLlama's wheel: weights/ and tokenizers/, 256-d vectors.
WORDLLAMA = Path(wordllama.__file__).parent
DIM = 8


@pytest.fixture(scope="module")
def documents(reviews):
    return reviews.data[:2000]


@pytest.fixture(scope="module")
def tokenizer(reviews):
    """A real WordPiece tokenizer (lowercasing, accents stripped), 800 tokens."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=800, special_tokens=["[PAD]", "[UNK]"], show_progress=False
    )
    tokenizer.train_from_iterator(reviews.data[5000:8000], trainer)
    return tokenizer


def random_vectors(n_rows: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n_rows, DIM)).astype(np.float32)


def model2vec_folder(folder: Path, tokenizer, **options) -> Path:
    """Save a Model2Vec model with model2vec's own save_pretrained."""
    vectors = options.pop("vectors", None)
    if vectors is None:
        vectors = random_vectors(tokenizer.get_vocab_size())
    StaticModel(vectors, tokenizer, **options).save_pretrained(folder)
    return folder


def sentence_transformers_folder(
    folder: Path, tokenizer, *, normalize: bool, prompt: str | None = None
) -> Path:
    """Lay out a static model as sentence-transformers saves it."""
    module = folder / "0_StaticEmbedding"
    module.mkdir(parents=True)
    modules = [
        {
            "idx": 0,
            "name": "0",
            "path": "0_StaticEmbedding",
            "type": "sentence_transformers.models.StaticEmbedding",
        }
    ]
    if normalize:
        modules.append(
            {
                "idx": 1,
                "name": "1",
                "path": "1_Normalize",
                "type": "sentence_transformers.models.Normalize",
            }
        )
        (folder / "1_Normalize").mkdir()
    (folder / "modules.json").write_text(json.dumps(modules))
    config = {"prompts": {"query": prompt or ""}, "default_prompt_name": None}
    if prompt is not None:
        config["default_prompt_name"] = "query"
    (folder / "config_sentence_transformers.json").write_text(json.dumps(config))
    weights = random_vectors(tokenizer.get_vocab_size(), seed=1)
    save_file({"embedding.weight": weights}, str(module / "model.safetensors"))
    tokenizer.save(str(module / "tokenizer.json"))
    return folder


def embedding_bag_mean(folder: Path, documents, *, normalize: bool, prompt=""):
    """sentence-transformers' StaticEmbedding, in numpy: EmbeddingBag's mean."""
    module = folder / "0_StaticEmbedding"
    tokenizer = Tokenizer.from_file(str(module / "tokenizer.json"))
    table = load_file(str(module / "model.safetensors"))["embedding.weight"]
    encodings = tokenizer.encode_batch(
        [prompt + doc for doc in documents], add_special_tokens=False
    )
    rows = np.zeros((len(documents), table.shape[1]), dtype=np.float32)
    for row, encoding in zip(rows, encodings, strict=True):
        if encoding.ids:
            row[:] = table[encoding.ids].mean(axis=0)
    if normalize:
        rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return rows


@pytest.fixture
def m2v(tmp_path, tokenizer):
    return model2vec_folder(tmp_path / "m2v", tokenizer, normalize=True)


# -- the same rows as the reference implementations --------------------------------


@pytest.mark.parametrize("normalize", [True, False])
def test_model2vec_rows_equal_its_encode(tmp_path, tokenizer, documents, normalize):
    folder = model2vec_folder(tmp_path / "m2v", tokenizer, normalize=normalize)
    expected = StaticModel.from_pretrained(folder).encode(documents)
    vectorizer = PretrainedEmbeddingVectorizer(vectors=folder)
    out = vectorizer.fit_transform(documents)
    assert out.shape == (len(documents), DIM) and out.dtype == np.float32
    np.testing.assert_allclose(out, expected, atol=1e-6)
    np.testing.assert_allclose(vectorizer.transform(documents), expected, atol=1e-6)
    assert vectorizer.vectors_info_["layout"] == "model2vec"
    assert vectorizer.norm is None  # the model's normalization, not a parameter


def test_model2vec_truncates_long_texts_as_encode_does(tmp_path, tokenizer, reviews):
    long_documents = [" ".join(reviews.data[i : i + 12]) for i in range(0, 600, 12)]
    folder = model2vec_folder(tmp_path / "m2v", tokenizer, max_length=16)
    expected = StaticModel.from_pretrained(folder).encode(long_documents)
    out = PretrainedEmbeddingVectorizer(vectors=folder).fit_transform(long_documents)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    whole = model2vec_folder(tmp_path / "whole", tokenizer, max_length=None)
    untruncated = PretrainedEmbeddingVectorizer(vectors=whole).fit_transform(
        long_documents
    )
    assert np.abs(untruncated - out).max() > 0.01  # the truncation mattered


def test_model2vec_token_weights_and_mapping(tmp_path, tokenizer, documents):
    n_tokens = tokenizer.get_vocab_size()
    rng = np.random.default_rng(2)
    folder = model2vec_folder(
        tmp_path / "quantized",
        tokenizer,
        vectors=random_vectors(40),  # 40 rows shared by the 800 tokens
        token_mapping=rng.integers(0, 40, n_tokens),
        weights=rng.uniform(0.1, 2, n_tokens).astype(np.float32),
        normalize=False,
    )
    expected = StaticModel.from_pretrained(folder).encode(documents)
    out = PretrainedEmbeddingVectorizer(vectors=folder).fit_transform(documents)
    np.testing.assert_allclose(out, expected, atol=1e-6)


@pytest.mark.parametrize("normalize", [True, False])
def test_sentence_transformers_rows_equal_embedding_bag(
    tmp_path, tokenizer, documents, normalize
):
    folder = sentence_transformers_folder(
        tmp_path / "st", tokenizer, normalize=normalize
    )
    vectorizer = PretrainedEmbeddingVectorizer(vectors=folder)
    out = vectorizer.fit_transform(documents)
    expected = embedding_bag_mean(folder, documents, normalize=normalize)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert vectorizer.vectors_info_["layout"] == "sentence-transformers"


def test_sentence_transformers_default_prompt(tmp_path, tokenizer, documents):
    folder = sentence_transformers_folder(
        tmp_path / "st", tokenizer, normalize=False, prompt="query: "
    )
    out = PretrainedEmbeddingVectorizer(vectors=folder).fit_transform(documents[:50])
    expected = embedding_bag_mean(
        folder, documents[:50], normalize=False, prompt="query: "
    )
    np.testing.assert_allclose(out, expected, atol=1e-6)


@pytest.fixture(scope="module")
def wordllama_model():
    # Its tokenizer is found in cache_dir/tokenizers (the wheel's own folder).
    return WordLlama.load(cache_dir=WORDLLAMA, disable_download=True)


@pytest.mark.parametrize("norm", [None, "l2"])
def test_wordllama_rows_equal_its_embed(wordllama_model, documents, norm):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=WORDLLAMA, norm=norm)
    out = vectorizer.fit_transform(documents)
    expected = wordllama_model.embed(documents, norm=norm == "l2")
    assert out.shape == (len(documents), 256)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert vectorizer.vectors_info_["layout"] == "wordllama"
    assert vectorizer.vectors_info_["n_words"] == 32000


def test_a_wordllama_weights_file_and_a_folder_of_several(tmp_path, tokenizer):
    weights = WORDLLAMA / "weights" / "l2_supercat_256.safetensors"
    assert load_vectors(weights).vectors.shape == (32000, 256)
    folder = tmp_path / "wordllama"
    (folder / "weights").mkdir(parents=True)
    (folder / "tokenizers").mkdir()
    tokenizer.save(str(folder / "tokenizers" / "tiny_tokenizer_config.json"))
    for dim in (4, 8):
        table = {
            "embedding.weight": random_vectors(tokenizer.get_vocab_size())[:, :dim]
        }
        save_file(table, str(folder / "weights" / f"tiny_{dim}.safetensors"))
    with pytest.raises(ValueError, match="several models.*tiny_4.safetensors"):
        load_vectors(folder)
    assert load_vectors(folder / "weights" / "tiny_4.safetensors").vector_size == 4
    os.rename(
        folder / "weights" / "tiny_8.safetensors",
        folder / "weights" / "tiny_8_binary.safetensors",
    )
    assert load_vectors(folder).vector_size == 4  # binarized weights are skipped
    with pytest.raises(ValueError, match="binarized weights"):
        load_vectors(folder / "weights" / "tiny_8_binary.safetensors")


# -- skw2v's pooling over token ids -------------------------------------------------


#: Settings of skw2v's pooling steps, other than the defaults.
POOLING_OPTIONS = [
    {"weighting": "sif", "remove_components": 1},
    {"pooling": "max", "norm": "l2"},
    {"pooling": "mean+max", "weighting": "tfidf"},
]


@pytest.mark.parametrize("params", POOLING_OPTIONS, ids=str)
def test_pooling_works_on_tokens_as_on_words(tmp_path, tokenizer, documents, params):
    folder = model2vec_folder(tmp_path / "m2v", tokenizer, normalize=False)
    vectorizer = PretrainedEmbeddingVectorizer(vectors=folder, **params)
    out = vectorizer.fit_transform(documents)
    # The same table as words, and each document as its (known) tokens.
    wv = vectorizer.wv_
    words = KeyedVectors(vector_size=wv.vector_size)
    words.add_vectors(list(wv.index_to_key), np.asarray(wv.vectors))
    analyze = vectorizer.build_analyzer()
    tokens = [[t for t in analyze(doc) if t in wv.key_to_index] for doc in documents]
    expected = AvgWord2VecTransformer(vectors=words, **params).fit_transform(tokens)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


def test_tokenized_documents_are_split_into_tokens(tmp_path, tokenizer, documents):
    folder = model2vec_folder(tmp_path / "m2v", tokenizer, normalize=True)
    vectorizer = PretrainedEmbeddingVectorizer(vectors=folder).fit(documents[:10])
    words = [doc.split() for doc in documents[:200]]
    expected = StaticModel.from_pretrained(folder).encode(
        [" ".join(doc) for doc in words]
    )
    np.testing.assert_allclose(vectorizer.transform(words), expected, atol=1e-6)
    mixed = [documents[0], words[1], documents[2]]
    np.testing.assert_allclose(vectorizer.transform(mixed)[1], expected[1], atol=1e-6)


def test_coverage_and_analyzer_give_the_model_tokens(m2v, documents):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=m2v).fit(documents[:10])
    tokens = vectorizer.build_analyzer()("A naïve ☃ plot")
    assert tokens[0] == "a" and "☃" in tokens  # lowercased; the unknown as text
    assert "##" in "".join(tokens)  # split into subword tokens
    report = vectorizer.coverage(["A naïve ☃ plot ☃"])
    assert report["missing"] == [("☃", 2)]
    assert report["n_found"] == report["n_tokens"] - 2


@pytest.mark.parametrize(
    "params",
    [
        {"lowercase": False},
        {"token_pattern": r"\w+"},
        {"tokenizer": str.split},
        {"max_phrase_words": 2},
    ],
    ids=str,
)
def test_word_tokenization_parameters_are_refused(m2v, documents, params):
    (name,) = params
    vectorizer = PretrainedEmbeddingVectorizer(vectors=m2v, **params)
    with pytest.raises(ValueError, match=f"{name}=.*model's own tokenizer"):
        vectorizer.fit(documents[:10])


# -- AvgWord2VecTransformer over a static model's table ----------------------------


@pytest.mark.parametrize("params", [{}, *POOLING_OPTIONS], ids=str)
def test_avg_over_a_static_table_pools_as_the_folder(m2v, documents, params):
    folder_rows = PretrainedEmbeddingVectorizer(vectors=m2v, **params).fit_transform(
        documents
    )
    avg = AvgWord2VecTransformer(vectors=load_vectors(m2v), **params)
    np.testing.assert_allclose(avg.fit_transform(documents), folder_rows, atol=1e-6)
    np.testing.assert_allclose(avg.transform(documents), folder_rows, atol=1e-6)
    if not params:  # the model's own rows, normalized as it normalizes them
        expected = StaticModel.from_pretrained(m2v).encode(documents)
        np.testing.assert_allclose(folder_rows, expected, atol=1e-6)


def test_avg_over_a_fitted_vectorizer_of_a_static_model(tmp_path, tokenizer, documents):
    folder = sentence_transformers_folder(
        tmp_path / "st", tokenizer, normalize=True, prompt="query: "
    )
    fitted = PretrainedEmbeddingVectorizer(vectors=folder).fit(documents[:10])
    avg = AvgWord2VecTransformer(vectors=fitted).fit(documents[:10])
    assert avg.wv_ is fitted.wv_ and avg._static is fitted._static
    expected = embedding_bag_mean(folder, documents, normalize=True, prompt="query: ")
    np.testing.assert_allclose(avg.transform(documents), expected, atol=1e-6)
    words = [doc.split() for doc in documents[:50]]
    np.testing.assert_allclose(avg.transform(words), fitted.transform(words), atol=1e-6)
    assert avg.build_analyzer()("A plot") == fitted.build_analyzer()("A plot")
    assert avg.coverage(documents[:50]) == fitted.coverage(documents[:50])


@pytest.mark.parametrize(
    "params",
    [{"lowercase": False}, {"token_pattern": r"\w+"}, {"tokenizer": str.split}],
    ids=str,
)
def test_avg_refuses_word_tokenization_parameters(m2v, documents, params):
    (name,) = params
    avg = AvgWord2VecTransformer(vectors=load_vectors(m2v), **params)
    with pytest.raises(ValueError, match=f"{name}=.*model's own tokenizer") as info:
        avg.fit(documents[:10])
    assert "max_phrase_words" not in str(info.value)  # not a parameter of it


def test_avg_over_a_static_table_pickles_and_clones(m2v, documents):
    avg = AvgWord2VecTransformer(vectors=load_vectors(m2v), weighting="sif")
    out = avg.fit_transform(documents)
    restored = pickle.loads(pickle.dumps(avg))
    assert restored.wv_ is restored.vectors  # one table, held in the pickle
    np.testing.assert_array_equal(restored.transform(documents), out)
    # The table unpickled keeps its tokenizer: a clone refitted on it pools tokens.
    refitted = clone(restored).fit(documents)
    assert refitted.wv_ is restored.wv_ and static_tokenizer(refitted.wv_) is not None
    np.testing.assert_allclose(refitted.transform(documents), out, atol=1e-6)
    second = clone(avg).fit(documents[:10])
    assert second.wv_ is avg.wv_ and second._static is avg._static


@pytest.mark.parametrize(
    "check",
    [check for _, check in text_estimator_checks(AvgWord2VecTransformer())],
    ids=check_id,
)
def test_text_checks_on_a_static_table(check):
    check(AvgWord2VecTransformer(vectors=load_vectors(WORDLLAMA), weighting="sif"))


# -- init_vectors from a static model -----------------------------------------------


@pytest.mark.parametrize("estimator", [Word2VecVectorizer, FastTextVectorizer])
@pytest.mark.parametrize("in_memory", [False, True], ids=["folder", "table"])
def test_init_vectors_start_words_from_the_model(
    tmp_path, tokenizer, documents, estimator, in_memory
):
    vectors = random_vectors(tokenizer.get_vocab_size())
    folder = model2vec_folder(
        tmp_path / "m2v", tokenizer, vectors=vectors, normalize=True
    )
    init = load_vectors(folder) if in_memory else folder
    # A learning rate of almost 0: the vectors stay those training started from.
    vectorizer = estimator(
        vector_size=DIM,
        init_vectors=init,
        epochs=1,
        alpha=1e-12,
        min_alpha=0,
        random_state=0,
    ).fit(documents)
    words = vectorizer.wv_.index_to_key
    # model2vec's own vector of each word, as a one-word text, not normalized.
    reference = StaticModel(vectors, tokenizer, normalize=False)
    expected = reference.encode(words)
    unknown = tokenizer.token_to_id("[UNK]")
    has_token = [
        any(i != unknown for i in tokenizer.encode(w, add_special_tokens=False).ids)
        for w in words
    ]
    assert vectorizer.n_words_initialized_ == sum(has_token) > 0.9 * len(words)
    rows = np.flatnonzero(has_token)
    np.testing.assert_allclose(
        vectorizer.wv_.vectors[rows], expected[rows], rtol=1e-5, atol=1e-6
    )
    # The model normalizes its rows; words start from the mean, before that.
    assert not np.allclose(np.linalg.norm(expected[rows], axis=1), 1, atol=0.05)


def test_embedding_sequencer_rows_are_the_models_vectors_of_words(
    tmp_path, tokenizer, documents
):
    vectors = random_vectors(tokenizer.get_vocab_size())
    folder = model2vec_folder(tmp_path / "m2v", tokenizer, vectors=vectors)
    sequencer = EmbeddingSequencer(vectors=folder).fit(documents)
    words = list(sequencer.index_to_word_[1:])
    expected = StaticModel(vectors, tokenizer, normalize=False).encode(words)
    unknown = tokenizer.token_to_id("[UNK]")
    has_token = np.array(
        [
            any(i != unknown for i in tokenizer.encode(w, add_special_tokens=False).ids)
            for w in words
        ]
    )
    assert sequencer.coverage_["n_found"] == has_token.sum() > 0.9 * len(words)
    np.testing.assert_allclose(
        sequencer.embedding_matrix_[1:][has_token], expected[has_token], atol=1e-6
    )


def test_init_vectors_of_another_dimension_are_refused(m2v, documents):
    vectorizer = Word2VecVectorizer(vector_size=DIM + 2, init_vectors=m2v, epochs=1)
    with pytest.raises(ValueError, match=f"{DIM} dimensions.*vector_size={DIM}"):
        vectorizer.fit(documents[:200])


def test_init_vectors_folder_keys_the_memory_cache(tmp_path, m2v, documents):
    options = {"vector_size": DIM, "epochs": 1, "random_state": 0}
    memory = tmp_path / "memory"
    first = Word2VecVectorizer(init_vectors=m2v, memory=memory, **options)
    first.fit(documents[:300])

    def entries() -> int:
        return len(list(memory.glob("*/*/entry")))

    again = clone(first).fit(documents[:300])
    assert entries() == 1  # mapped, not trained again
    np.testing.assert_array_equal(again.wv_.vectors, first.wv_.vectors)
    assert again.n_words_initialized_ == first.n_words_initialized_ > 0
    config = json.loads((m2v / "config.json").read_text())
    (m2v / "config.json").write_text(json.dumps({**config, "max_length": 64}))
    clone(first).fit(documents[:300])  # another model: trained anew
    assert entries() == 2


def test_limit_and_binary_are_refused(m2v):
    for option in ({"limit": 10}, {"binary": True}):
        with pytest.raises(ValueError, match="limit and binary apply to word-vector"):
            load_vectors(m2v, **option)


# -- loaded once, mapped, shared, pickled by reference ------------------------------


def test_loaded_once_then_mapped_from_the_cache(m2v):
    load_counts.clear()
    kv = load_vectors(m2v)
    assert load_vectors(m2v) is kv and static_tokenizer(kv) is not None
    assert kv.index_to_key[:2] == ["[PAD]", "[UNK]"]  # keys: the tokens by id
    clear_registry()
    mapped = load_vectors(m2v)
    assert mapped is not kv and isinstance(mapped.vectors, np.memmap)
    np.testing.assert_array_equal(mapped.vectors, kv.vectors)
    assert (load_counts["parsed"], load_counts["mapped"]) == (1, 1)
    assert static_tokenizer(mapped) is not None


def test_clones_share_the_table_and_the_tokenizer(m2v, documents):
    first = PretrainedEmbeddingVectorizer(vectors=m2v).fit(documents[:10])
    second = clone(first).fit(documents[10:20])
    assert second.wv_ is first.wv_ and second._static is first._static


def test_pickled_by_reference(m2v, documents):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=m2v, weighting="sif")
    out = vectorizer.fit_transform(documents)
    saved = pickle.dumps(vectorizer)
    assert len(saved) < vectorizer.wv_.vectors.nbytes  # neither table nor tokenizer
    np.testing.assert_array_equal(pickle.loads(saved).transform(documents), out)
    config = json.loads((m2v / "config.json").read_text())
    (m2v / "config.json").write_text(json.dumps({**config, "normalize": False}))
    with pytest.raises(ValueError, match="changed since this"):
        pickle.loads(saved)


def test_embedded_table_and_tokenizer_survive_the_folder(tmp_path, m2v, documents):
    vectorizer = PretrainedEmbeddingVectorizer(vectors=m2v, embed_vectors=True)
    out = vectorizer.fit_transform(documents)
    saved = pickle.dumps(vectorizer)
    shutil.rmtree(m2v)
    clear_registry()
    np.testing.assert_array_equal(pickle.loads(saved).transform(documents), out)


@pytest.mark.parametrize("in_memory", [False, True], ids=["folder", "table"])
def test_processes_give_the_rows_of_one(
    monkeypatch, tmp_path, m2v, documents, in_memory
):
    monkeypatch.setattr(skw2v._parallel, "PROCESS_MIN_CHARACTERS", 1)
    monkeypatch.setenv("JOBLIB_TEMP_FOLDER", str(tmp_path))
    if in_memory:
        one = AvgWord2VecTransformer(vectors=load_vectors(m2v)).fit(documents[:10])
    else:
        one = PretrainedEmbeddingVectorizer(vectors=m2v).fit(documents[:10])
    two = clone(one).set_params(n_jobs=2).fit(documents[:10])
    np.testing.assert_array_equal(two.transform(documents), one.transform(documents))


@pytest.mark.parametrize(
    "estimator, check",
    list(text_estimator_checks(PretrainedEmbeddingVectorizer(vectors=WORDLLAMA))),
    ids=check_id,
)
def test_text_checks_on_wordllama(estimator, check):
    check(estimator)


# -- folders and files that are not models ------------------------------------------


def test_a_folder_that_is_not_a_model(tmp_path, tokenizer):
    with pytest.raises(IsADirectoryError, match="static model.*Model2Vec"):
        load_vectors(tmp_path)
    tokenizer.save(str(tmp_path / "tokenizer.json"))
    with pytest.raises(ValueError, match="not every file of a layout"):
        load_vectors(tmp_path)
    save_file({"x": np.zeros((2, 2), np.float32)}, str(tmp_path / "lone.safetensors"))
    with pytest.raises(ValueError, match="pass the folder of the model"):
        load_vectors(tmp_path / "lone.safetensors")


def test_files_that_do_not_belong_together(tmp_path, tokenizer, m2v):
    save_file({"embeddings": random_vectors(10)}, str(m2v / "model.safetensors"))
    with pytest.raises(ValueError, match="800 tokens but.*10 rows"):
        load_vectors(m2v)
    save_file({"vectors": random_vectors(800)}, str(m2v / "model.safetensors"))
    with pytest.raises(ValueError, match="no tensor named 'embeddings'"):
        load_vectors(m2v)
    table = random_vectors(800)
    table[3, 1] = np.nan
    save_file({"embeddings": table}, str(m2v / "model.safetensors"))
    with pytest.raises(ValueError, match="1 rows with NaN"):
        load_vectors(m2v)


def test_a_bfloat16_tensor_is_refused_by_name(tmp_path, m2v):
    header = json.dumps(
        {
            "embeddings": {
                "dtype": "BF16",
                "shape": [800, DIM],
                "data_offsets": [0, 800 * DIM * 2],
            }
        }
    ).encode()
    data = len(header).to_bytes(8, "little") + header + bytes(800 * DIM * 2)
    (m2v / "model.safetensors").write_bytes(data)
    with pytest.raises(ValueError, match="types numpy cannot read.*BF16"):
        load_vectors(m2v)


def test_unsupported_modules_are_refused(tmp_path, tokenizer):
    folder = sentence_transformers_folder(tmp_path / "st", tokenizer, normalize=True)
    modules = json.loads((folder / "modules.json").read_text())
    modules[1]["type"] = "sentence_transformers.models.Dense"
    (folder / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(ValueError, match="Dense.*Use sentence-transformers itself"):
        load_vectors(folder)


@pytest.fixture(scope="module")
def sound_model(tmp_path_factory, tokenizer):
    return model2vec_folder(tmp_path_factory.mktemp("sound") / "m2v", tokenizer)


@pytest.mark.parametrize("name", ["model.safetensors", "tokenizer.json", "config.json"])
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_files_give_an_error_naming_them(
    sound_model, tmp_path, documents, name, data, draw_damaged
):
    folder = tmp_path / "damaged"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(sound_model, folder)
    raw = (folder / name).read_bytes()
    (folder / name).write_bytes(draw_damaged(data, raw, 200))
    try:
        kv = load_vectors(folder, cache_dir=False)
    except ValueError as exc:
        assert name in str(exc), f"the error does not name {name}: {exc}"
        return
    # Loaded: then a sound table, and documents pool into finite rows.
    assert len(kv) == len(kv.vectors) > 0 and np.isfinite(kv.vectors).all()
    out = PretrainedEmbeddingVectorizer(vectors=kv).fit_transform(documents[:20])
    assert out.shape == (20, kv.vector_size) and np.isfinite(out).all()
