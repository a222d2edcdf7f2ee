"""Rupiah amounts written the Indonesian way: Rp 1.250.000 (dots between thousands, no decimals)."""


def format_rupiah(amount) -> str:
    """``1250000`` → ``"Rp 1.250.000"``; ``None`` → ``""``. Rupiah are whole numbers."""
    if amount is None or amount == "":
        return ""
    value = int(round(float(amount)))
    sign = "-" if value < 0 else ""
    return "%sRp %s" % (sign, f"{abs(value):,}".replace(",", "."))
