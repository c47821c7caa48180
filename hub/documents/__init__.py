"""Supporting documents (data dukung): bytes in object storage, metadata and extracted text in MongoDB."""
