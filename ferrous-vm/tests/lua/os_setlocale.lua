-- os.setlocale: only the C locale exists (the environment's locale, "", is not tested: it
-- depends on LANG).
print(os.setlocale(), os.setlocale("C"), os.setlocale("POSIX"), os.setlocale(nil, "numeric"))
print(os.setlocale("xx_YY.nonexistent"), os.setlocale("C", "all"), os.setlocale("C", "time"))
print(pcall(os.setlocale, "C", "bogus"))
print(pcall(os.setlocale, {}))
print(os.setlocale())
