"""Remote evidence requests (远程核查): live photos asked of an enterprise within a deadline."""
