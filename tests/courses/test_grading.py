"""Each question type parses and scores answers against its frozen snapshot."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.models import (
    MatchingQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    OrderingQuestion,
    ShortTextQuestion,
    SingleChoiceQuestion,
    TrueFalseQuestion,
)
from courses.quizzes.answers import AnswerError, normalise_text_answer, parse_decimal

ONE, ZERO = Decimal(1), Decimal(0)

CHOICES = {
    "options": [
        {"id": 11, "text": "a", "correct": True, "feedback": ""},
        {"id": 12, "text": "b", "correct": False, "feedback": ""},
        {"id": 13, "text": "c", "correct": True, "feedback": ""},
        {"id": 14, "text": "d", "correct": False, "feedback": ""},
    ]
}


def single(answer):
    snapshot = {"options": CHOICES["options"][:2]}
    return SingleChoiceQuestion.score(
        snapshot, SingleChoiceQuestion.parse_answer(snapshot, answer)
    )


def multiple(answer, scoring):
    snapshot = {**CHOICES, "scoring": scoring}
    return MultipleChoiceQuestion.score(
        snapshot, MultipleChoiceQuestion.parse_answer(snapshot, answer)
    )


def test_single_choice_scores_only_the_correct_option():
    assert single("11") == ONE
    assert single("12") == ZERO
    assert single("") == ZERO


@pytest.mark.parametrize("bad", ["99", "-1", "abc", "1" * 50, "11\x00"])
def test_single_choice_rejects_options_that_are_not_offered(bad):
    with pytest.raises(AnswerError):
        SingleChoiceQuestion.parse_answer({"options": CHOICES["options"]}, bad)


def test_multiple_choice_all_or_nothing_needs_exactly_the_correct_set():
    assert multiple(["11", "13"], "all") == ONE
    assert multiple(["11"], "all") == ZERO
    assert multiple(["11", "13", "12"], "all") == ZERO
    assert multiple([], "all") == ZERO


def test_multiple_choice_partial_credit_subtracts_wrong_choices():
    assert multiple(["11"], "partial") == Decimal("0.5")
    assert multiple(["11", "13"], "partial") == ONE
    assert multiple(["11", "12"], "partial") == ZERO
    assert multiple(["12", "14"], "partial") == ZERO  # never below zero
    assert multiple(["11", "13", "12"], "partial") == Decimal("0.5")


def test_multiple_choice_rejects_an_option_of_another_question():
    with pytest.raises(AnswerError):
        MultipleChoiceQuestion.parse_answer(CHOICES, ["11", "777"])


def test_true_false_compares_the_boolean():
    snapshot = {"correct": False, "feedback": {}}
    assert TrueFalseQuestion.score(
        snapshot, TrueFalseQuestion.parse_answer(snapshot, "false")
    ) == (ONE)
    assert TrueFalseQuestion.score(
        snapshot, TrueFalseQuestion.parse_answer(snapshot, "true")
    ) == (ZERO)
    assert TrueFalseQuestion.parse_answer(snapshot, "") is None
    with pytest.raises(AnswerError):
        TrueFalseQuestion.parse_answer(snapshot, "maybe")


@pytest.mark.parametrize(
    "typed",
    [
        "громада",
        "  ГРОМАДА ",
        "Громада",
    ],
)
def test_short_text_ignores_case_and_surrounding_spaces(typed):
    snapshot = {"accepted": ["громада"]}
    assert ShortTextQuestion.score(snapshot, typed) == ONE


@pytest.mark.parametrize("apostrophe", ["'", "\u2019", "\u02bc"])
def test_short_text_treats_the_three_ukrainian_apostrophes_as_one(apostrophe):
    snapshot = {"accepted": ["об\u2019єднання  громад"]}
    assert ShortTextQuestion.score(snapshot, f"Об{apostrophe}єднання громад") == ONE


def test_short_text_empty_answer_earns_nothing_even_if_an_empty_line_is_accepted():
    assert ShortTextQuestion.score({"accepted": ["", "так"]}, "") == ZERO
    assert ShortTextQuestion.score({"accepted": ["так"]}, "ні") == ZERO


def test_short_text_refuses_overlong_answers_and_nul():
    with pytest.raises(AnswerError):
        ShortTextQuestion.parse_answer({}, "я" * 501)
    with pytest.raises(AnswerError):
        ShortTextQuestion.parse_answer({}, "a\x00b")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3.14", ONE), ("3,15", ONE), ("3.2", ZERO), (" 3,13 ", ONE), ("", ZERO)],
)
def test_numeric_answers_within_tolerance_score(typed, expected):
    snapshot = {"value": "3.14", "tolerance": "0.01"}
    answer = NumericQuestion.parse_answer(snapshot, typed)
    assert NumericQuestion.score(snapshot, answer) == expected


@pytest.mark.parametrize("bad", ["abc", "1e999999", "NaN", "Infinity", "1" * 60])
def test_numeric_answers_must_be_finite_numbers(bad):
    with pytest.raises(AnswerError):
        NumericQuestion.parse_answer({"value": "1", "tolerance": "0"}, bad)


MATCHING = {
    "left": [{"id": 1, "text": "a"}, {"id": 2, "text": "b"}, {"id": 3, "text": "c"}],
    "right": [
        {"id": 701, "text": "C"},
        {"id": 500, "text": "A"},
        {"id": 9, "text": "B"},
    ],
    "match": {"1": 500, "2": 9, "3": 701},
}


def test_matching_earns_a_share_per_right_pair():
    parse, score = MatchingQuestion.parse_answer, MatchingQuestion.score
    all_right = parse(MATCHING, {"1": "500", "2": "9", "3": "701"})
    assert score(MATCHING, all_right) == ONE
    one_right = parse(MATCHING, {"1": "500", "2": "701", "3": "9"})
    assert score(MATCHING, one_right) == Decimal(1) / Decimal(3)
    assert score(MATCHING, parse(MATCHING, {})) == ZERO


def test_matching_rejects_items_and_matches_that_are_not_offered():
    with pytest.raises(AnswerError):
        MatchingQuestion.parse_answer(MATCHING, {"4": "500"})
    with pytest.raises(AnswerError):
        MatchingQuestion.parse_answer(MATCHING, {"1": "123"})
    with pytest.raises(AnswerError):
        MatchingQuestion.parse_answer(MATCHING, ["1", "500"])


ORDERING = {
    "items": [
        {"id": 30, "text": "c"},
        {"id": 10, "text": "a"},
        {"id": 20, "text": "b"},
    ],
    "order": [10, 20, 30],
}


def test_ordering_earns_a_share_per_item_in_its_place():
    parse, score = OrderingQuestion.parse_answer, OrderingQuestion.score
    assert score(ORDERING, parse(ORDERING, {"10": "1", "20": "2", "30": "3"})) == ONE
    swapped = parse(ORDERING, {"10": "1", "20": "3", "30": "2"})
    assert score(ORDERING, swapped) == Decimal(1) / Decimal(3)
    assert score(ORDERING, parse(ORDERING, {})) == ZERO


def test_ordering_rejects_positions_out_of_range_and_unknown_items():
    with pytest.raises(AnswerError):
        OrderingQuestion.parse_answer(ORDERING, {"10": "4"})
    with pytest.raises(AnswerError):
        OrderingQuestion.parse_answer(ORDERING, {"99": "1"})
    with pytest.raises(AnswerError):
        OrderingQuestion.parse_answer(ORDERING, {"10": "-1"})


def test_ordering_incomplete_answer_scores_nothing():
    answer = OrderingQuestion.parse_answer(ORDERING, {"10": "1", "20": "2"})
    assert OrderingQuestion.score(ORDERING, answer) == ZERO


def test_parse_decimal_reads_a_comma_and_thousand_spaces():
    assert parse_decimal("1 234,5") == Decimal("1234.5")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1e3", "1000"), ("1.500", "1.5"), ("0.0000000001", "0.0000000001"),
     ("-3,14", "-3.14"), ("999999999999999", "999999999999999")],
)  # fmt: skip
def test_numeric_answers_are_stored_as_plain_digits(typed, stored):
    assert NumericQuestion.parse_answer({}, typed) == stored


@pytest.mark.parametrize(
    "bad", ["1E-999999", "0E-999999", "0.00000000001", "1e15", "-1e15", "1E+999"]
)
def test_numbers_beyond_the_range_or_precision_are_refused(bad):
    with pytest.raises(AnswerError) as refused:
        parse_decimal(bad)
    assert "10" in str(refused.value)  # the message states the precision


apostrophes = st.sampled_from(["'", "\u2019", "\u02bc"])
words = st.text(alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюяАБВҐЄІЇ", min_size=1)


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    once = normalise_text_answer(text)
    assert normalise_text_answer(once) == once


@given(words, words, apostrophes, apostrophes, st.integers(0, 3), st.integers(0, 3))
def test_normalising_ignores_apostrophe_form_case_and_spacing(
    left, right, first, second, before, between
):
    typed = " " * before + left + first + " " * between + right
    stored = left.upper() + second + (" " if between else "") + right
    assert normalise_text_answer(typed) == normalise_text_answer(stored)


@given(st.text())
def test_normalised_answers_have_no_outer_or_double_spaces(text):
    result = normalise_text_answer(text)
    assert result == result.strip()
    assert "  " not in result
