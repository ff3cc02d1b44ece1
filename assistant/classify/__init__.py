"""Text classifiers of the work order (appeal type, category, urgency): scikit-learn + jieba."""
