from ae_core.cli import main

main()
