module github.com/peervoice/peervoice/flows/internal/goflowbench

go 1.26.8

require (
	github.com/nyaruka/gocommon v1.42.6
	github.com/peervoice/peervoice v0.0.0
)

require (
	github.com/Masterminds/semver v1.5.0 // indirect
	github.com/antlr/antlr4/runtime/Go/antlr/v4 v4.0.0-20221202181307-76fa05c21b12 // indirect
	github.com/blevesearch/segment v0.9.1 // indirect
	github.com/buger/jsonparser v1.1.1 // indirect
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/gabriel-vasile/mimetype v1.4.3 // indirect
	github.com/go-chi/chi v4.1.2+incompatible // indirect
	github.com/go-playground/locales v0.14.1 // indirect
	github.com/go-playground/universal-translator v0.18.1 // indirect
	github.com/go-playground/validator/v10 v10.16.0 // indirect
	github.com/goccy/go-yaml v1.19.2 // indirect
	github.com/gofrs/uuid v4.4.0+incompatible // indirect
	github.com/leodido/go-urn v1.2.4 // indirect
	github.com/nyaruka/goflow v0.197.7
	github.com/nyaruka/null/v2 v2.0.3 // indirect
	github.com/nyaruka/phonenumbers v1.2.2 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/shopspring/decimal v1.3.1 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/crypto v0.59.0 // indirect
	golang.org/x/exp v0.0.0-20231206192017-f3f8817b8deb // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
	google.golang.org/protobuf v1.31.0 // indirect
)

replace github.com/peervoice/peervoice => ../../..
