"""Fuzzing and mutation testing of paper2fa, kept in the project (docs/bad-input.md).

- `python -m tests.fuzz` runs the fuzz harness (hostile corpus, mutated samples, regressions;
  then atheris or Hypothesis for `--minutes`), each input in its own forked worker;
- `python -m tests.fuzz.corpus` writes the hostile corpus into the cache folder;
- `python -m tests.fuzz.pick` measures which mutants the short run may leave out (coverage);
- `python -m tests.fuzz.mutation` runs mutation testing (docs/mutation-testing.md).

The package is imported as `fuzz` by pytest (tests/ is on its path) and as `tests.fuzz` from the
project root, so its modules import each other relatively.
"""
