"""Valid BSNs (elfproef) for the benchmarks' persons, the same in every run."""


def elfproef(digits):
    return (sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])) % 11 == 0


def bsns(count, besides, start=100000000):
    """`count` valid BSNs from `start` upwards, leaving out `besides` (the benchmark citizen)."""
    found, n = [], start
    while len(found) < count:
        s = str(n)
        if elfproef(s) and s != besides:
            found.append(s)
        n += 1
    return found
