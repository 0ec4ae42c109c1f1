"""Where a criterion's value comes from, in words: every derived source has its words, said the
same way by the model panel, the criterion dialog, the coverage report and the Model sheet."""

from cutline.models.scoring.model import DERIVED_SOURCES, Criterion
from cutline.models.words import sources


def test_every_derived_source_has_all_its_words():
    for source in DERIVED_SOURCES:
        words = sources.DERIVED[source]
        assert words.name and words.panel and words.reads and words.formula
        assert sources.short_words(source) == f"derived: {words.panel}"
        assert sources.choice_words(source) == f"{words.name} (derived)"
        assert sources.reads_words(source).startswith("derived: ")


def test_columns_and_formulas_are_named_as_they_are():
    assert sources.short_words("Story points") == "column: Story points"
    assert sources.short_words("formula", "reach * 2") == "formula: reach * 2"
    assert sources.reads_words("Story points") is None
    assert sources.formula_words("Story points") == "the Story points column"


def test_the_views_and_the_export_read_the_same_words():
    from cutline.models.export.model_sheet import source_in_words
    from cutline.views.criterion_row import source_words

    for source in DERIVED_SOURCES:
        criterion = Criterion(source, source)
        assert source_words(criterion) == sources.short_words(source)
        assert source_in_words(criterion) == sources.formula_words(source)
