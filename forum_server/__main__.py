import sys

from forum_server.cli import main

sys.exit(main())
