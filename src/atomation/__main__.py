from atomation.cli import main

main()
