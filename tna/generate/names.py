"""Plausible Indonesian personal names, mixed by region, for generated staff."""

from dataclasses import dataclass

import numpy as np

# Each naming tradition: (male given names, female given names, family/second names or None,
# share of people who carry a second name). Second names are marga for Batak, common
# Javanese/Sundanese second names otherwise; Minang and Malay names are often given names only.
JAVANESE = (
    "Agus Bambang Budi Joko Slamet Sutrisno Hadi Wahyu Eko Dwi Teguh Heru Sigit Yudi Rudi Arif Bayu Adi "
    "Gunawan Setyo Sugeng Purnomo Haryanto Wawan Didik Totok Anton Hendro Priyo Bagus Dimas Yoga Rizky Fajar",
    "Sri Dewi Endang Rina Wulan Siti Yuni Retno Ratna Ayu Nining Eka Puji Indah Tri Sulastri Kartini Sumarni "
    "Wiwik Lilik Ani Nur Diah Erna Fitri Anggraini Novi Dyah Galuh Putri",
    "Santoso Wibowo Susanto Prasetyo Nugroho Setiawan Hidayat Kurniawan Saputra Purnomo Hartono Suryadi "
    "Widodo Utomo Pranoto Wijayanto Handoko Sulistyo Raharjo Cahyono Firmansyah Kusuma",
    "Rahayu Lestari Handayani Wulandari Astuti Susanti Purwanti Kusumawati Rahmawati Wahyuni Suryani "
    "Setyaningsih Pratiwi Maharani Permatasari Puspitasari Kurniasih Utami",
    0.8,
)
SUNDANESE = (
    "Asep Dadang Ujang Cecep Dede Yayan Agus Iwan Deden Endang Ade Hendra Rahmat Jajang Ridwan",
    "Euis Neneng Iis Imas Yeni Lilis Cucu Rina Tini Nenden Rika Siti Yanti",
    "Supriatna Sukmana Permana Hidayat Kusnadi Suhendar Ruhiyat Gumilar Saepudin Mulyana Sopandi",
    "Nurhasanah Rosdiana Kurniasih Maryani Suryani Mulyani Sumiati Rohaeti",
    0.7,
)
MALAY = (
    "Muhammad Ahmad Abdul Rahmat Fauzi Hendra Zulkifli Syahrial Irwan Rizal Firdaus Fadli Hasan Yusuf "
    "Ridwan Ilham Arman Azhar Budiman Chairul Darmawan Edi Faisal Habibi Iskandar Junaidi Khairul Lukman "
    "Mahmud Nasrul Rusli Saiful Taufik Zainal Rahman",
    "Nurhayati Fitri Yusnita Rosmiati Nurul Aisyah Rahmah Yulia Desi Mega Novita Herlina Yanti Rini Maya "
    "Sari Zuraida Masitah Halimah Rosnani Juliana Marlina Fatimah Rohani Salmah",
    "Syahputra Saputra Hidayat Ramadhan Kurniawan Firmansyah Hasibuan Nasution Lubis Harahap Rangkuti "
    "Daulay Pulungan Ritonga Dalimunthe",
    "Syahputri Ramadhani Hasibuan Nasution Lubis Harahap Ritonga Siregar Wahyuni Sari",
    0.55,
)
BATAK = (
    "Roy Hotman Parlindungan Tigor Sahat Bonar Martua Parulian Togar Benny Erwin Robert Jhonson Daniel "
    "Samuel Rudolf Mangasi Poltak Horas Jonner Marihot Saut Tumpal Binsar Maruli Lamhot Ferdinand",
    "Rosmawati Tiurma Lamtiur Rosdiana Sondang Mariani Hotmaida Ruth Debora Elisabet Lusiana Rotua "
    "Nurmala Tiominar Romauli Hotnida Melati Yohana Sarma Rismauli",
    "Simanjuntak Sitompul Situmorang Sinaga Simatupang Hutapea Hutagalung Panjaitan Pardede Manurung "
    "Sihombing Tambunan Silalahi Siahaan Nainggolan Tampubolon Sitorus Gultom Purba Saragih Ginting Tarigan "
    "Sembiring Hutabarat Pasaribu Simorangkir Hutauruk Lumbantobing Sibarani Marpaung",
    None,  # women keep the marga
    1.0,
)
MINANG = (
    "Yulizar Zulfikar Afrizal Syafri Efendi Yondri Novrizal Hendri Yusrizal Alfian Ferdi Refki Rahmadi "
    "Zulhendri Erizal Jasman Asril Syamsul",
    "Yulnita Rosmaini Elfira Desmawati Yusnidar Nofriani Elvi Yelni Rahmi Silvia Yulia Ernita Nelfi "
    "Resti Wirda Delvi",
    "Chaniago Piliang Tanjung Koto Sikumbang Jambak Caniago",
    "Chaniago Piliang Tanjung Koto",
    0.25,
)
CHINESE = (
    "Hendra Budi Andy Wilson Hendrik Sugianto Kevin Ricky Johan Steven",
    "Lily Linda Susan Meiliana Lidya Yenny Vera Melinda Fransiska Olivia",
    "Wijaya Tanuwijaya Halim Salim Gunadi Kusuma Tanoto Santoso Hartanto Setiadi",
    None,
    1.0,
)


@dataclass(frozen=True)
class Tradition:
    male: tuple
    female: tuple
    family: tuple
    family_female: tuple
    family_share: float


def _tradition(male, female, family, family_female, share):
    split = str.split
    return Tradition(
        tuple(split(male)), tuple(split(female)), tuple(split(family)),
        tuple(split(family_female)) if family_female else tuple(split(family)), share,
    )


TRADITIONS = {
    "javanese": _tradition(*JAVANESE),
    "sundanese": _tradition(*SUNDANESE),
    "malay": _tradition(*MALAY),
    "batak": _tradition(*BATAK),
    "minang": _tradition(*MINANG),
    "chinese": _tradition(*CHINESE),
}

# Rough mix of naming traditions among civil servants per seed region; others get the default.
REGION_MIX = {
    "lampung-selatan": {"javanese": 45, "malay": 33, "sundanese": 12, "minang": 5, "batak": 3, "chinese": 2},
    "lampung-utara": {"javanese": 42, "malay": 40, "sundanese": 10, "minang": 5, "batak": 3},
    "medan": {"batak": 35, "malay": 25, "javanese": 25, "minang": 8, "chinese": 5, "sundanese": 2},
    "sibolga": {"batak": 50, "malay": 28, "minang": 12, "javanese": 10},
    "prov-jambi": {"malay": 45, "javanese": 30, "minang": 15, "batak": 5, "sundanese": 5},
}
DEFAULT_MIX = {"javanese": 40, "malay": 25, "sundanese": 15, "batak": 10, "minang": 8, "chinese": 2}


def draw_names(agency_code, sexes, rng):
    """Full names for people of the given sexes (1 male, 2 female), mixed as in the region.

    ``sexes`` is an integer array, ``rng`` a numpy Generator; returns a list of strings.
    """
    mix = REGION_MIX.get(agency_code, DEFAULT_MIX)
    keys = list(mix)
    weights = np.array([mix[k] for k in keys], dtype=float)
    n = len(sexes)
    tradition = rng.choice(len(keys), size=n, p=weights / weights.sum())
    given = np.empty(n, dtype=object)
    second = np.full(n, "", dtype=object)
    family = np.full(n, "", dtype=object)
    for t, key in enumerate(keys):
        names = TRADITIONS[key]
        for sex, given_pool, family_pool in ((1, names.male, names.family), (2, names.female, names.family_female)):
            rows = np.flatnonzero((tradition == t) & (sexes == sex))
            if not len(rows):
                continue
            pool = np.array(given_pool, dtype=object)
            given[rows] = pool[rng.integers(0, len(pool), len(rows))]
            # A second given name ("Muhammad Rizal", "Sri Wahyuni") for about a third.
            with_second = rows[rng.random(len(rows)) < 0.3]
            second[with_second] = pool[rng.integers(0, len(pool), len(with_second))]
            with_family = rows[rng.random(len(rows)) < names.family_share]
            families = np.array(family_pool, dtype=object)[rng.integers(0, len(family_pool), len(with_family))]
            if key == "batak" and sex == 2:  # "Rosdiana br. Sitorus"
                boru = rng.random(len(with_family)) < 0.3
                families[boru] = ["br. " + f for f in families[boru]]
            family[with_family] = families
    result = []
    for g, s, f in zip(given.tolist(), second.tolist(), family.tolist(), strict=True):
        parts = [g]
        if s and s != g:
            parts.append(s)
        if f and f not in parts:
            parts.append(f)
        result.append(" ".join(parts))
    return result


def email_local(name, suffix):
    """``budi.santoso.0412`` from a full name (first two words) and a short suffix."""
    words = [w for w in name.lower().split() if w != "br."][:2]
    return "%s.%s" % (".".join(words), suffix)
