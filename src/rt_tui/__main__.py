from rt_tui.cli import main

raise SystemExit(main())
