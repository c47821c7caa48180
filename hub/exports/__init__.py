"""CSV and XLSX exports of lists the viewer may see, streamed as they are read from MongoDB."""
