"""Money across the boundary: exact amounts in (Decimal, Fraction, int, str) and
out (Fraction, Decimal), explicit rounding, arithmetic, comparison, hashing."""

import decimal
import fractions
import pickle
import unittest
from decimal import Decimal
from fractions import Fraction

import support  # noqa: F401  (sets up the environment)
import portability
from portability import Money


class TestMoneyIn(unittest.TestCase):

    def test_money__from_decimal(self):
        m = Money(Decimal("1234.56"), "PHP")
        self.assertEqual(m.amount, Fraction(123456, 100))
        self.assertEqual(m.currency, "PHP")

    def test_money__from_decimal_exponent(self):
        # format(d, 'f') is positional: 1E+2 is sent as 100, 1.5E-3 as 0.0015
        self.assertEqual(Money(Decimal("1E+2"), "USD").amount, 100)
        self.assertEqual(Money(Decimal("1.5E-3"), "USD").amount, Fraction(15, 10000))
        self.assertEqual(Money(Decimal("-0.00"), "USD").amount, 0)

    def test_money__decimal_not_finite(self):
        for d in (Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("sNaN")):
            with self.assertRaises(ValueError):
                Money(d, "USD")

    def test_money__from_fraction(self):
        m = Money(Fraction(-6400, 3), "PHP")
        self.assertEqual(m.amount, Fraction(-6400, 3))
        self.assertEqual(m.exact_text(), "-6400/3")

    def test_money__from_int(self):
        self.assertEqual(Money(831700, "JPY").amount, 831700)
        self.assertEqual(Money(-5, "JPY").amount, -5)
        self.assertEqual(Money(10 ** 60, "JPY").amount, 10 ** 60)

    def test_money__from_str(self):
        self.assertEqual(Money("-12.345", "KWD").amount, Fraction(-12345, 1000))
        self.assertEqual(Money("3/4", "USD").amount, Fraction(3, 4))
        self.assertEqual(Money(".5", "USD").amount, Fraction(1, 2))
        self.assertEqual(Money("6/4", "USD").exact_text(), "3/2")

    def test_money__str_validated_by_c(self):
        for bad in ("1e5", "1,000", " 1", "abc", "", ".", "1/-2", "--1"):
            with self.subTest(bad=bad), self.assertRaises(portability.ParseError):
                Money(bad, "USD")
        with self.assertRaises(portability.DivisionByZero):
            Money("1/0", "USD")
        with self.assertRaises(portability.RangeError):
            Money("1" * 65, "USD")

    def test_money__binary_real_number_raises_type_error(self):
        # the binding never accepts a binary (IEEE 754) amount, whatever its value
        for value in (1.5, 0.1, 0.0, -2.0, 1e10):
            with self.subTest(value=value), self.assertRaises(TypeError):
                Money(value, "USD")
        m = Money(10, "USD")
        with self.assertRaises(TypeError):
            m * 1.5
        with self.assertRaises(TypeError):
            m / 2.0
        with self.assertRaises(TypeError):
            m.to_decimal(0.01)
        with self.assertRaises(TypeError):
            m.convert("JPY", 150.5, "2025-01-01")

    def test_money__other_types_raise_type_error(self):
        for value in (None, True, [1], b"12", complex(1, 0)):
            with self.subTest(value=value), self.assertRaises(TypeError):
                Money(value, "USD")
        with self.assertRaises(TypeError):
            Money(1, 840)

    def test_money__currency(self):
        with self.assertRaises(portability.CurrencyError):
            Money(1, "XXQ")
        with self.assertRaises(portability.CurrencyError):
            Money(1, "usd")
        self.assertEqual(Money(1, "JPY").minor_units(), 0)
        self.assertEqual(Money(1, "KWD").minor_units(), 3)


class TestMoneyOut(unittest.TestCase):

    def test_money__to_decimal_default(self):
        d = Money(Fraction(6400, 3), "PHP").to_decimal()
        self.assertIsInstance(d, Decimal)
        self.assertEqual(str(d), "2133.33")

    def test_money__to_decimal_steps_and_modes(self):
        cases = [
            ("2.5", "1", "half-up", "3"), ("-2.5", "1", "half-up", "-3"),
            ("2.5", "1", "half-even", "2"), ("3.5", "1", "half-even", "4"),
            ("2.5", "1", "half-down", "2"), ("-2.1", "1", "ceiling", "-2"),
            ("-2.1", "1", "floor", "-3"), ("-2.9", "1", "toward-zero", "-2"),
            ("-2.1", "1", "away-from-zero", "-3"), ("1234.56", "100", "half-up", "1200"),
            ("1234.56", "0.10", "floor", "1234.50"), ("1234.56", "0.1", "floor", "1234.5"),
            ("1.13", "0.25", "half-up", "1.25"), ("0.004", "0.01", "half-up", "0.00"),
        ]
        for amount, step, mode, want in cases:
            with self.subTest(amount=amount, step=step, mode=mode):
                got = Money(amount, "USD").to_decimal(step, mode)
                self.assertEqual(str(got), want)

    def test_money__to_decimal_step_types(self):
        m = Money("1234.567", "USD")
        self.assertEqual(m.to_decimal(Decimal("0.01")), Decimal("1234.57"))
        self.assertEqual(m.to_decimal(Fraction(1, 4)), Decimal("1234.50"))
        self.assertEqual(m.to_decimal(1), Decimal("1235"))

    def test_money__to_decimal_unnecessary(self):
        self.assertEqual(Money("1.50", "USD").to_decimal("0.01", "unnecessary"), Decimal("1.50"))
        with self.assertRaises(portability.Inexact) as cm:
            Money("1.505", "USD").to_decimal("0.01", "unnecessary")
        self.assertEqual(cm.exception.code, -10)

    def test_money__to_decimal_bad_mode_and_step(self):
        with self.assertRaises(portability.ParseError):
            Money(1, "USD").to_decimal("0.01", "bankers")
        with self.assertRaises(portability.InvalidArgument):
            Money(1, "USD").to_decimal("0", "half-up")
        with self.assertRaises(portability.InvalidArgument):
            Money(1, "USD").to_decimal("1/3", "half-up")

    def test_money__minor_unit(self):
        self.assertEqual(Money("103962.5", "JPY").to_minor_unit(), Decimal("103963"))
        self.assertEqual(Money("1.0005", "KWD").to_minor_unit(), Decimal("1.001"))

    def test_money__round_is_exact_money(self):
        r = Money(Fraction(6400, 3), "PHP").round("0.01", "half-up")
        self.assertIsInstance(r, Money)
        self.assertEqual(r.amount, Fraction(213333, 100))
        self.assertEqual(Money(Fraction(1, 2), "USD").round(Fraction(1, 3), "floor").amount,
                         Fraction(1, 3))

    def test_money__round_trip_fraction(self):
        for q in (Fraction(0), Fraction(-1, 3), Fraction(10 ** 40 + 1, 7), Fraction(22, 7)):
            with self.subTest(q=q):
                m = Money(q, "EUR")
                self.assertEqual(Money(m.exact_text(), "EUR").amount, q)
                self.assertEqual(fractions.Fraction(m.exact_text()), q)

    def test_money__round_trip_decimal(self):
        ctx = decimal.Context(prec=100)
        for text in ("0.01", "-123456789.123456789", "100", "0.000001"):
            with self.subTest(text=text):
                d = ctx.create_decimal(text)
                step = Decimal(1).scaleb(d.as_tuple().exponent) if d.as_tuple().exponent < 0 \
                    else Decimal(1)
                self.assertEqual(Money(d, "USD").to_decimal(step, "unnecessary"), d)

    def test_money__text(self):
        self.assertEqual(str(Money("12.50", "USD")), "12.5 USD")
        self.assertEqual(str(Money(Fraction(1, 3), "USD")), "1/3 USD")
        self.assertEqual(repr(Money("0.25", "USD")), "Money('1/4', 'USD')")


class TestMoneyArithmetic(unittest.TestCase):

    def test_money__add_sub_neg(self):
        a, b = Money("0.10", "USD"), Money(Fraction(1, 5), "USD")
        self.assertEqual((a + b).amount, Fraction(3, 10))
        self.assertEqual((a - b).amount, Fraction(-1, 10))
        self.assertEqual((-a).amount, Fraction(-1, 10))
        self.assertEqual(abs(-a), a)
        self.assertEqual(+a, a)
        self.assertEqual(sum([a, b, a]).amount, Fraction(2, 5))

    def test_money__currency_mismatch_raises(self):
        with self.assertRaises(portability.CurrencyError):
            Money(1, "USD") + Money(1, "JPY")
        with self.assertRaises(portability.CurrencyError):
            Money(1, "USD") - Money(1, "JPY")
        with self.assertRaises(portability.CurrencyError):
            Money(1, "USD") < Money(1, "JPY")
        with self.assertRaises(portability.CurrencyError):
            Money(1, "USD") / Money(1, "JPY")
        with self.assertRaises(portability.CurrencyError):
            Money(Money(1, "USD"), "JPY")

    def test_money__mul_div_by_exact_numbers(self):
        m = Money(6400, "PHP")
        self.assertEqual((m * Fraction(1, 3)).amount, Fraction(6400, 3))
        self.assertEqual((Fraction(1, 3) * m).amount, Fraction(6400, 3))
        self.assertEqual((m * Decimal("0.996")).amount, Fraction(63744, 10))
        self.assertEqual((m * 2).amount, 12800)
        self.assertEqual((m / 3).amount, Fraction(6400, 3))
        self.assertEqual((m / Decimal("0.5")).amount, 12800)
        self.assertEqual(m / Money(3200, "PHP"), 2)
        with self.assertRaises(portability.DivisionByZero):
            m / 0
        with self.assertRaises(portability.DivisionByZero):
            m / Money(0, "PHP")
        with self.assertRaises(TypeError):
            m * m
        with self.assertRaises(TypeError):
            m * "2"
        with self.assertRaises(TypeError):
            m + 1

    def test_money__comparisons(self):
        a, b = Money("1.5", "USD"), Money(Fraction(3, 2), "USD")
        c = Money(2, "USD")
        self.assertTrue(a == b)
        self.assertFalse(a != b)
        self.assertTrue(a < c and c > a and a <= b and a >= b)
        self.assertNotEqual(Money(1, "USD"), Money(1, "EUR"))
        self.assertNotEqual(Money(1, "USD"), 1)
        self.assertEqual(sorted([c, a]), [a, c])
        self.assertFalse(Money(0, "USD"))
        self.assertTrue(Money("0.01", "USD"))

    def test_money__hash_follows_fraction_and_currency(self):
        a, b = Money("1.50", "USD"), Money(Fraction(3, 2), "USD")
        self.assertEqual(hash(a), hash(b))
        self.assertEqual(hash(a), hash((Fraction(3, 2), "USD")))
        self.assertEqual(len({a, b, Money("1.5", "EUR")}), 2)

    def test_money__convert(self):
        m = Money(1000, "JPY").convert("USD", "0.0065", "2025-01-06")
        self.assertEqual(m.currency, "USD")
        self.assertEqual(m.amount, Fraction(13, 2))
        self.assertEqual(m.exchange, ("0.0065", "2025-01-06", "JPY"))
        self.assertIsNone(Money(1, "USD").exchange)
        with self.assertRaises(portability.RangeError):
            Money(1, "JPY").convert("USD", "1", "2025-02-30")

    def test_money__pickle(self):
        m = Money(Fraction(-7, 3), "EUR")
        self.assertEqual(pickle.loads(pickle.dumps(m)), m)

    def test_money__immutable_handles_are_private(self):
        from portability import _portability
        with self.assertRaises(TypeError):
            _portability.Money()
        with self.assertRaises(TypeError):
            _portability.money_rational(object())


# 40 significant digits: more than Decimal's default context (28) keeps.
FORTY = "123456789012345678901234567890123456789.5"


class TestMoneyText(unittest.TestCase):
    """str, format and round: exact, and independent of the Decimal context."""

    def test_str_keeps_every_digit(self):
        self.assertEqual(str(Money(FORTY, "EUR")), FORTY + " EUR")
        self.assertEqual(str(Money("-" + FORTY, "EUR")), "-" + FORTY + " EUR")
        self.assertEqual(str(Money(Fraction(1, 2 ** 40), "USD")),
                         "0.0000000000009094947017729282379150390625 USD")
        self.assertEqual(str(Money("12.50", "USD")), "12.5 USD")
        self.assertEqual(str(Money(Fraction(1, 3), "USD")), "1/3 USD")

    def test_format_fixed_point_rounds_half_even_exactly(self):
        self.assertEqual(format(Money("1234567.125", "USD"), ",.2f"), "1,234,567.12")
        self.assertEqual(format(Money("1234567.135", "USD"), ",.2f"), "1,234,567.14")
        self.assertEqual(format(Money("-0.125", "USD"), ".2f"), "-0.12")
        self.assertEqual(format(Money("-1234.5", "USD"), ">12,.2f"), "   -1,234.50")
        self.assertEqual(format(Money("0.125", "USD"), ".1%"), "12.5%")
        self.assertEqual(format(Money("2.5", "JPY"), ".0f"), "2")
        self.assertEqual(format(Money("7", "USD"), "f"), "7.000000")
        # 3680/7 = 525.714285...: e01's pro-rata amount
        self.assertEqual(format(Money(Fraction(3680, 7), "EUR"), ",.2f"), "525.71")
        self.assertEqual(format(Money(Fraction(-2, 3), "EUR"), ".3f"), "-0.667")

    def test_format_of_forty_digits(self):
        m = Money(FORTY, "EUR")
        self.assertEqual(format(m, ",.1f"),
                         "123,456,789,012,345,678,901,234,567,890,123,456,789.5")
        self.assertEqual(format(m, ".0f"), "123456789012345678901234567890123456790")
        self.assertEqual(format(m, ".2f"), FORTY + "0")

    def test_format_ignores_the_decimal_context(self):
        with decimal.localcontext() as ctx:
            ctx.prec = 5
            ctx.rounding = decimal.ROUND_HALF_UP
            self.assertEqual(format(Money("2.5", "USD"), ".0f"), "2")
            self.assertEqual(format(Money("2.25", "USD"), ".2g"), "2.2")
            self.assertEqual(format(Money(FORTY, "EUR"), ",.1f")[-6:], ",789.5")
            self.assertEqual(str(Money(FORTY, "EUR")), FORTY + " EUR")

    def test_format_other_types_and_empty_spec(self):
        m = Money("1234567.125", "USD")
        self.assertEqual(format(m, ""), str(m))
        self.assertEqual(f"{m}", "1234567.125 USD")
        self.assertEqual(format(m, ".3e"), "1.235e+6")
        self.assertEqual(format(m, ","), "1,234,567.125")
        with self.assertRaises(ValueError):
            format(Money(Fraction(1, 3), "USD"), ".3e")
        with self.assertRaises(ValueError):
            format(m, "d")
        with self.assertRaises(ValueError):
            format(m, ".2fx")

    def test_round_follows_python_half_even_and_keeps_money(self):
        self.assertEqual(round(Money("2.345", "USD"), 2), Money("2.34", "USD"))
        self.assertEqual(round(Money("2.355", "USD"), 2), Money("2.36", "USD"))
        self.assertEqual(round(Money("-2.345", "USD"), 2), Money("-2.34", "USD"))
        self.assertEqual(round(Money("1250", "USD"), -2), Money("1200", "USD"))
        self.assertEqual(round(Money("103962.5", "JPY")), Money("103962", "JPY"))
        self.assertEqual(round(Money("1.0005", "KWD")), Money("1.000", "KWD"))
        self.assertEqual(round(Money("0.125", "USD")), Money("0.12", "USD"))
        self.assertIsInstance(round(Money("1", "USD")), Money)
        r = round(Money(FORTY, "EUR"), 0)
        self.assertEqual(r, Money("123456789012345678901234567890123456790", "EUR"))
        with self.assertRaises(TypeError):
            round(Money("1", "USD"), 1.0)

    def test_to_decimal_defaults_to_the_currency_minor_unit(self):
        self.assertEqual(str(Money("103962.5", "JPY").to_decimal()), "103963")
        self.assertEqual(str(Money("1.0005", "KWD").to_decimal()), "1.001")
        self.assertEqual(str(Money(Fraction(6400, 3), "PHP").to_decimal()), "2133.33")
        self.assertEqual(str(Money("2.5", "JPY").to_decimal(rounding="half-even")), "2")
        self.assertEqual(str(Money(FORTY, "EUR").to_decimal()), FORTY + "0")
        self.assertEqual(Money("1", "JPY").minor_unit(), Decimal("1"))
        self.assertEqual(str(Money("1", "KWD").minor_unit()), "0.001")
        self.assertEqual(Money("1.0005", "KWD").round(), Money("1.001", "KWD"))
        self.assertEqual(Money("1.005", "USD").to_decimal("0.01"), Decimal("1.01"))


if __name__ == "__main__":
    unittest.main()
