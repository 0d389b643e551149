from scormbuild.commands.cli import main

main(prog_name="scormbuild")
