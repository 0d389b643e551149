"""xAPI (Tin Can): vocabulary, activity definitions, the target, statement checks, the LRS
client and the readers of an LRS (records, CE evidence). Its CLI is commands/xapi.py."""
