"""What every package validator shares, whatever the standard: XML parsed without DTDs or
entities (``xmlsafe``), the zip's file index and launch checks (``files``), and which standard a
package declares (``detect``). Zip safety itself is ``scormbuild.zipsafety``."""
