"""The public disclosure site (信息公开): published forms for anonymous visitors."""
