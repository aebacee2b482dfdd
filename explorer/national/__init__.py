"""The optional national pack (every US tract): fetch the files, build the pack, read one county from it,
the within-tract race gaps and the tract page's maps."""
