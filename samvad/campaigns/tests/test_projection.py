from samvad.campaigns.projection import forecast


def test_it_needs_two_complete_days():
    assert forecast([10], total_days=15, so_far=12) is None


def test_steady_gains_are_projected_with_no_spread():
    made = forecast([10, 10, 10, 10], total_days=15, so_far=43)
    assert round(made.expected) == 150
    assert round(made.low) == round(made.high) == 150


def test_a_rising_trend_is_followed():
    made = forecast([10, 20, 30, 40, 50], total_days=10, so_far=150)
    # The line continues: 60 + 70 + 80 + 90 + 100 more.
    assert round(made.expected) == 550


def test_noisy_days_give_a_band_that_narrows_as_days_pass():
    gains = [12, 30, 5, 22, 18, 9, 27, 15, 20, 11]
    early = forecast(gains[:4], total_days=15, so_far=sum(gains[:4]))
    late = forecast(gains, total_days=15, so_far=sum(gains))
    assert early.low < early.expected < early.high
    assert late.high - late.low < early.high - early.low


def test_a_count_is_never_projected_below_what_happened():
    made = forecast([50, 40, 10, 0], total_days=15, so_far=100)
    assert made.low >= 100 and made.expected >= 100


def test_followers_may_be_projected_to_fall():
    made = forecast([5, -10, -20, -30], total_days=15, so_far=-55, can_fall=True)
    assert made.expected < -55


def test_after_the_last_day_the_projection_is_the_result():
    made = forecast([5] * 15, total_days=15, so_far=75)
    assert (made.expected, made.low, made.high) == (75, 75, 75)
