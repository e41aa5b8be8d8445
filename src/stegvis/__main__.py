from stegvis.cli import main

main()
