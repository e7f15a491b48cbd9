from samvad.campaigns.projection import FEW_DAYS, NO_SPREAD, forecast, why_none


def test_it_needs_three_measured_days():
    assert forecast([10, 12], total_days=15, so_far=25) is None
    assert why_none([10, 12]) == FEW_DAYS
    assert forecast([10, 12, 9], total_days=15, so_far=31) is not None


def test_days_without_spread_give_no_forecast():
    assert forecast([10, 10, 10, 10], total_days=15, so_far=43) is None
    assert why_none([10, 10, 10, 10]) == NO_SPREAD
    # Ten days of no reposts, then many today: no band, so no number.
    assert forecast([0] * 10, total_days=15, so_far=354) is None


def test_steady_gains_with_some_noise_are_projected_near_the_mean():
    made = forecast([9, 11, 11, 9], total_days=15, so_far=43)
    assert made.low < round(made.expected) == 150 < made.high


def test_a_rising_trend_is_followed():
    made = forecast([10, 21, 29, 40, 50], total_days=10, so_far=150)
    # The line continues: about 60 + 70 + 80 + 90 + 100 more.
    assert 540 < made.expected < 560


def test_noisy_days_give_a_band_that_narrows_as_days_pass():
    gains = [12, 30, 5, 22, 18, 9, 27, 15, 20, 11]
    early = forecast(gains[:4], total_days=15, so_far=sum(gains[:4]))
    late = forecast(gains, total_days=15, so_far=sum(gains))
    assert early.low < early.expected < early.high
    assert late.high - late.low < early.high - early.low


def test_a_count_is_never_projected_below_what_happened():
    made = forecast([50, 40, 10, 20], total_days=15, so_far=120)
    assert made.low >= 120 and made.expected >= 120


def test_followers_may_be_projected_to_fall():
    made = forecast([5, -10, -20, -30], total_days=15, so_far=-55, can_fall=True)
    assert made.expected < -55


def test_after_the_last_day_the_projection_is_the_result():
    made = forecast([5] * 15, total_days=15, so_far=75)
    assert (made.expected, made.low, made.high) == (75, 75, 75)
