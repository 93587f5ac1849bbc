#pragma once
// Authorization header values for the sources, from the places their own tools look. Values
// are secrets: nothing here ever puts them in a message.
#include <string>

#include "config/settings.h"

namespace dlctl {

// Kaggle, first found: KAGGLE_API_TOKEN ("Bearer ..."); KAGGLE_USERNAME + KAGGLE_KEY ("Basic
// ..."); <KAGGLE_CONFIG_DIR or ~/.kaggle>/access_token (a token); kaggle.json there
// ({"username", "key"}). Empty when there is none (public datasets still need one on Kaggle,
// which then answers 401). A kaggle.json that is not that JSON is a UsageError.
std::string KaggleAuthorization(const SourceSettings& sources);

// Where Kaggle credentials were looked for, for the hint of a 401.
std::string KaggleCredentialHint(const SourceSettings& sources);

// Hugging Face: HF_TOKEN (or HUGGING_FACE_HUB_TOKEN), else the token file huggingface-cli
// login writes; "Bearer ...", or empty: public repos need none.
std::string HuggingFaceAuthorization(const SourceSettings& sources);

}  // namespace dlctl
