from scormbuild.cli import main

main(prog_name="scormbuild")
