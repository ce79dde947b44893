#!/usr/bin/env python3
"""Writes the demo hackathon's files from scikit-learn's bundled breast-cancer data (569 rows):
the hidden key for a stratified 30% test split (id = the row's index in load_breast_cancer(),
1 = malignant) and the test-row predictions of six real models, one per demo team.
Run once by hand; its output is committed under Sources/CadetApp/Resources/Examples/hackathon."""
import csv, os
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import RandomForestClassifier, GradientBoostingClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

out = os.path.join(os.path.dirname(__file__), "..", "Sources", "CadetApp", "Resources", "Examples", "hackathon")
data = load_breast_cancer()
malignant = 1 - data.target
ids = list(range(len(malignant)))
train, test = train_test_split(ids, test_size=0.3, stratify=malignant, random_state=20261201)
with open(os.path.join(out, "key.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "malignant"])
    for i in sorted(test):
        w.writerow([i, malignant[i]])
models = {
    "logistic": make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
    "forest": RandomForestClassifier(n_estimators=200, random_state=0),
    "boosting": GradientBoostingClassifier(random_state=0),
    "knn": make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=7)),
    "bayes": GaussianNB(),
    "stump": DecisionTreeClassifier(max_depth=1, random_state=0),
}
for name, model in models.items():
    model.fit(data.data[train], malignant[train])
    p = model.predict_proba(data.data[sorted(test)])[:, 1]
    with open(os.path.join(out, f"{name}.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "malignant"])
        for i, v in zip(sorted(test), p):
            w.writerow([i, f"{v:.6f}"])
