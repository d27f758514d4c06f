"""`python -m tests.load [options]`: what `make load` runs (options: `--help`).

It needs no Django itself: each step that reads the database runs in a child
process (migrate, load_demo, tests.load.setup, tests.load.check).
"""

import sys

from tests.load.run import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
