from learn_app.cli import main

raise SystemExit(main())
