"""int_frame packs small columns into one 64-bit value per row on the server and unpacks them exactly."""

import numpy as np
import pandas as pd
import pytest
from django.db.models import Case, IntegerField, Value, When

from tests.tna.test_tna_run import build_agency
from tna.analysis.params import ROLES
from tna.factories import CycleFactory
from tna.infra.bulk import reading
from tna.infra.bulk.reading import int_frame, pack_words
from tna.models import Rating
from tna.services import tna_run


def test_neighbours_with_a_width_share_a_word_while_they_fit_in_63_bits():
    words = pack_words(["a", "b", "c", "d", "e"], [31, 31, 3, None, 2])
    assert [word.aliases for word in words] == [["a", "b"], ["c"], ["d"], ["e"]]
    assert words[0].shifts == [31, 0] and words[2].widths is None


def test_a_word_unpacks_to_the_values_packed_into_it():
    word = pack_words(["ratee", "rater", "level"], [20, 20, 3])[0]
    ratee, rater, level = np.array([1, 999_999, 5]), np.array([1_048_575, 0, 7]), np.array([1, 5, 3])
    packed = (ratee << 23) | (rater << 3) | level
    rows = {name: np.empty(3, dtype=np.int64) for name in ("ratee", "rater", "level")}
    word.unpack_into(packed.astype(">i8"), rows)
    assert rows["ratee"].tolist() == ratee.tolist()
    assert rows["rater"].tolist() == rater.tolist() and rows["level"].tolist() == level.tolist()


@pytest.mark.django_db
def test_ratings_read_packed_are_the_ratings_read_one_column_each(monkeypatch):
    cycle = CycleFactory(year=2026)
    build_agency("kab-satu", cycle=cycle)
    role = Case(*[When(rater_role=name, then=Value(i)) for i, name in enumerate(ROLES)],
                default=Value(len(ROLES)), output_field=IntegerField())
    columns = ("ratee", "rater", "role", "competency", "level")
    expressions = {"ratee": "ratee_id", "rater": "rater_id", "competency": "competency_id", "level": "level",
                   "role": role}
    queryset = Rating.objects.filter(cycle=cycle)
    plain = int_frame(queryset, columns, **expressions)
    monkeypatch.setattr(reading, "READ_CHUNK", 40)  # many chunks, each unpacked into its slice
    packed = int_frame(queryset, columns, bits=tna_run._rating_bits(), **expressions)
    assert len(plain) == queryset.count() > 100
    pd.testing.assert_frame_equal(packed, plain)
    assert set(packed["role"]) <= {0, 1, 2, 3} and set(packed["level"]) <= {1, 2, 3, 4, 5}


@pytest.mark.django_db
def test_an_empty_selection_reads_as_an_empty_frame_of_the_columns():
    frame = int_frame(Rating.objects.none(), ("ratee", "level"), bits={"ratee": 20, "level": 3},
                      ratee="ratee_id", level="level")
    assert list(frame.columns) == ["ratee", "level"] and len(frame) == 0
